-- Gross margin per plan and month: MRR minus the cloud cost of the services the plan depends
-- on, apportioned by the plan's share of their traffic (fct_gross_margin_monthly states the
-- rule). Org (fct_gross_margin_monthly_org): the org's MRR minus all its cloud cost,
-- unallocated cost and services no paying plan depends on included, so the plans do not add
-- up to the org by exactly that cost. Only months the cost exports cover from their first to
-- their last day (is_complete).
-- formula input and causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_mrr') }}
-- depends_on: {{ ref('m_cloud_cost') }}
with

gross_margin_monthly as (
    select * from {{ ref('fct_gross_margin_monthly') }}
    where is_complete
),

gross_margin_monthly_org as (
    select * from {{ ref('fct_gross_margin_monthly_org') }}
    where is_complete
),

metric_rows as (
    {{ metrics_mrr_monthly('gross_margin_monthly', 'gross_margin_monthly_org', 'gross_margin') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

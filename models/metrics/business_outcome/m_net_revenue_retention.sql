-- Monthly (month-over-month) NRR: (opening MRR + expansion − contraction − churned) / opening MRR,
-- per plan, org and month, the opening MRR being the previous month's MRR
-- (fct_net_revenue_retention_monthly.net_revenue_retention); the board's 12-month cohort NRR is
-- m_net_revenue_retention_12m.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_mrr') }}
-- depends_on: {{ ref('m_expansion_mrr') }}
-- depends_on: {{ ref('m_contraction_mrr') }}
-- depends_on: {{ ref('m_churned_mrr') }}
with

retention_monthly as (
    select * from {{ ref('fct_net_revenue_retention_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('retention_monthly', 'net_revenue_retention') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

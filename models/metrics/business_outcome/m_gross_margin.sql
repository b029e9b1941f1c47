-- Gross margin per plan and month: MRR minus the cloud cost of the services the plan depends
-- on, apportioned by the plan's share of their traffic (fct_gross_margin_monthly states the
-- rule). Org: the org's MRR minus all its cloud cost, unallocated cost and services no paying
-- plan depends on included, so the plans do not add up to the org by exactly that cost. Only
-- months the cost exports cover from their first to their last day.
-- formula input and causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_mrr') }}
-- depends_on: {{ ref('m_cloud_cost') }}
with

gross_margin_monthly as (
    select * from {{ ref('fct_gross_margin_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

complete_months as (
    select distinct month_start
    from gross_margin_monthly
    where is_complete
),

org_cost as (
    select
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as month_start,
        sum(effective_cost) as effective_cost
    from cost_daily
    group by cast({{ dbt.date_trunc('month', 'cost_date') }} as date)
),

metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        'month' as grain,
        gross_margin as value
    from gross_margin_monthly
    where is_complete
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        complete_months.month_start as period_start,
        'month' as grain,
        cast(mrr_monthly_org.mrr_amount as double precision)
        - cast(coalesce(org_cost.effective_cost, 0) as double precision) as value
    from complete_months
    inner join mrr_monthly_org
        on complete_months.month_start = mrr_monthly_org.month_start
    left join org_cost
        on complete_months.month_start = org_cost.month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

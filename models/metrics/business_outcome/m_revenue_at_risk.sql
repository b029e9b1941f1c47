-- MRR of a plan's customers exposed to an availability SLO breach of a service they depend on,
-- averaged over the days of the week (a week-long breach puts the whole plan's MRR at risk).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
-- depends_on: {{ ref('m_error_budget_remaining') }}
with

revenue_at_risk_daily as (
    select * from {{ ref('fct_revenue_at_risk_daily') }}
),

plans as (
    select * from {{ ref('plans') }}
),

slo_weekly as (
    select * from {{ ref('fct_slo_weekly') }}
),

weeks as (
    select distinct week_start from slo_weekly
),

at_risk_by_week as (
    select
        plan_id,
        cast({{ dbt.date_trunc('week', 'signal_date') }} as date) as week_start,
        sum(mrr_at_risk) / 7.0 as mrr_at_risk
    from revenue_at_risk_daily
    group by plan_id, cast({{ dbt.date_trunc('week', 'signal_date') }} as date)
),

plan_weeks as (
    select
        plans.plan_id,
        weeks.week_start,
        cast(coalesce(at_risk_by_week.mrr_at_risk, 0) as double precision) as mrr_at_risk
    from plans
    cross join weeks
    left join at_risk_by_week
        on
            plans.plan_id = at_risk_by_week.plan_id
            and weeks.week_start = at_risk_by_week.week_start
),

metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        week_start as period_start,
        'week' as grain,
        mrr_at_risk as value
    from plan_weeks
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        week_start as period_start,
        'week' as grain,
        sum(mrr_at_risk) as value
    from plan_weeks
    group by week_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Revenue at risk per plan (entity_type `plan`, every plan of plans.csv) and for the whole
-- organisation (`org`: the sum over plans) and week (Monday, UTC; every week of fct_slo_weekly):
-- the plan's daily MRR at risk (fct_revenue_at_risk_daily) summed over the week and divided by 7,
-- i.e. averaged over the days of the week (a week-long breach puts the whole plan's MRR at risk,
-- a day without a breach counts 0). The metric m_revenue_at_risk is the projection of
-- mrr_at_risk.
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

entity_weeks as (
    {{ entity_rollup('plan_weeks', ['plan', 'plan_id'], ['week_start'], ['mrr_at_risk'],
                     rollups=['org']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(week_start as date) as week_start,
        cast(mrr_at_risk as double precision) as mrr_at_risk
    from entity_weeks
)

select * from final

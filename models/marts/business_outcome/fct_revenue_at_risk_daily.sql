-- Revenue at risk per plan and day: the MRR (at the end of the previous month) of the plan's
-- paying customers when at least one service the plan depends on (plan_services.csv) is in
-- availability SLO breach that day. A service is in SLO breach while its availability over
-- the SLO window (`slo_window_days`) is below target, i.e. its error budget is exhausted: one
-- noisy day does not breach a 28-day objective, a real outage keeps it breached until the
-- bad days leave the window. Each customer counts once per day.
with

slo_daily as (
    select * from {{ ref('fct_slo_daily') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

breached_plans as (
    select
        plan_services.plan_id,
        slo_daily.signal_date,
        count(*) as breached_service_count
    from slo_daily
    inner join plan_services
        on slo_daily.service_id = plan_services.service_id
    where slo_daily.error_budget_remaining < 0
    group by plan_services.plan_id, slo_daily.signal_date
),

paying as (
    select
        plan_id,
        month_start,
        count(*) as paying_customers,
        sum(mrr_amount) as mrr_amount
    from movements
    where mrr_amount > 0
    group by plan_id, month_start
),

final as (
    select
        breached_plans.plan_id,
        breached_plans.signal_date,
        cast(breached_plans.breached_service_count as integer) as breached_service_count,
        cast(coalesce(paying.paying_customers, 0) as integer) as customers_at_risk,
        cast(coalesce(paying.mrr_amount, 0) as decimal(18, 2)) as mrr_at_risk
    from breached_plans
    left join paying
        on
            breached_plans.plan_id = paying.plan_id
            and paying.month_start = cast(
                {{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'breached_plans.signal_date')) }}
                as date
            )
)

select * from final

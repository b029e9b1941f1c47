-- Revenue at risk per service, plan and day: one row for each day a service is in SLO breach
-- (fct_slo_daily.is_slo_breached: availability over the SLO window below target, error budget
-- exhausted) and each plan that depends on it (plan_services.csv), with the MRR and paying
-- customers of the plan at the end of the previous month. A plan exposed to two breached
-- services on a day has two rows carrying its whole MRR: plan_mrr_at_risk is not additive over
-- services; attributed_mrr_at_risk splits it evenly between them and is (it sums to
-- fct_revenue_at_risk_daily.mrr_at_risk per plan and day).
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

service_plan_days as (
    select
        slo_daily.service_id,
        slo_daily.team_id,
        plan_services.plan_id,
        slo_daily.signal_date,
        slo_daily.error_budget_remaining,
        count(*) over (
            partition by plan_services.plan_id, slo_daily.signal_date
        ) as plan_breached_service_count
    from slo_daily
    inner join plan_services
        on slo_daily.service_id = plan_services.service_id
    where slo_daily.is_slo_breached
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
        cast(service_plan_days.service_id as varchar) as service_id,
        cast(service_plan_days.team_id as varchar) as team_id,
        cast(service_plan_days.plan_id as varchar) as plan_id,
        service_plan_days.signal_date,
        cast(service_plan_days.error_budget_remaining as double precision) as error_budget_remaining,
        cast(service_plan_days.plan_breached_service_count as integer) as plan_breached_service_count,
        cast(coalesce(paying.paying_customers, 0) as integer) as plan_customers_at_risk,
        cast(coalesce(paying.mrr_amount, 0) as decimal(18, 2)) as plan_mrr_at_risk,
        cast(
            cast(coalesce(paying.mrr_amount, 0) as double precision)
            / service_plan_days.plan_breached_service_count
            as double precision
        ) as attributed_mrr_at_risk
    from service_plan_days
    left join paying
        on
            service_plan_days.plan_id = paying.plan_id
            and paying.month_start = cast(
                {{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'service_plan_days.signal_date')) }}
                as date
            )
)

select * from final

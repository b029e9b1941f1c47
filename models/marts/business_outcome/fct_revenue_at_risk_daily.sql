-- Revenue at risk per plan and day: the MRR (at the end of the previous month) of the plan's
-- paying customers when at least one service the plan depends on (plan_services.csv) is in
-- SLO breach that day. A service is in SLO breach while its availability over the SLO window
-- (`slo_window_days`) is below target, i.e. its error budget is exhausted
-- (fct_slo_daily.is_slo_breached): one day below target does not breach a 28-day objective,
-- a real outage keeps it breached until the bad days leave the window. Each customer counts
-- once per day. The per-service rows are fct_revenue_at_risk_service_daily.
with

service_daily as (
    select * from {{ ref('fct_revenue_at_risk_service_daily') }}
),

final as (
    select
        plan_id,
        signal_date,
        cast(count(*) as integer) as breached_service_count,
        cast(max(plan_customers_at_risk) as integer) as customers_at_risk,
        cast(max(plan_mrr_at_risk) as decimal(18, 2)) as mrr_at_risk
    from service_daily
    group by plan_id, signal_date
)

select * from final

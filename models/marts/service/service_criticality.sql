-- Services ranked by how much they matter (docs/weekly-review.md): the MRR of the plans that depend on
-- them (plan_services.csv × the latest month of fct_mrr_monthly), their incident history and
-- the customer impact over a lookback window (`criticality_lookback_days`, default 90) ending
-- on the last day of service data. The composite score weighs revenue dependence 0.50,
-- incident minutes 0.25 and impacted customer-minutes 0.25, each as a share of the largest
-- service's value (0–1), so a service every paying customer depends on ranks first unless
-- another one both carries revenue and keeps hurting customers. The top 3–5 (a fifth of the
-- services, at least 3 and at most 5) are flagged: map their drivers first.
with

services as (
    select * from {{ ref('services') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

incidents as (
    select * from {{ ref('fct_incidents') }}
),

slo_daily as (
    select * from {{ ref('fct_slo_daily') }}
),

window_bounds as (
    select
        max(signal_date) as lookback_end,
        cast(
            {{ dbt.dateadd('day', 1 - var('criticality_lookback_days', 90), 'max(signal_date)') }}
            as date
        ) as lookback_start
    from slo_daily
),

latest_month as (
    select max(month_start) as month_start
    from mrr_monthly
    where plan_id is not null
),

plan_mrr as (
    select
        mrr_monthly.plan_id,
        mrr_monthly.month_start,
        mrr_monthly.mrr_amount,
        mrr_monthly.active_customers
    from mrr_monthly
    where mrr_monthly.plan_id is not null
),

dependence as (
    select
        plan_services.service_id,
        count(distinct plan_services.plan_id) as dependent_plan_count,
        sum(coalesce(plan_mrr.active_customers, 0)) as dependent_customers,
        sum(coalesce(plan_mrr.mrr_amount, 0)) as dependent_mrr
    from plan_services
    cross join latest_month
    left join plan_mrr
        on
            plan_services.plan_id = plan_mrr.plan_id
            and latest_month.month_start = plan_mrr.month_start
    group by plan_services.service_id
),

incident_history as (
    select
        incidents.service_id,
        count(*) as incident_count,
        sum(coalesce(incidents.time_to_resolve_minutes, 0)) as incident_minutes,
        sum(case when incidents.is_customer_reported then 1 else 0 end)
            as customer_reported_incident_count,
        sum(incidents.customer_impact_minutes) as customer_impact_minutes
    from incidents
    cross join window_bounds
    where
        incidents.service_id is not null
        and incidents.created_date between window_bounds.lookback_start and window_bounds.lookback_end
    group by incidents.service_id
),

-- revenue at risk attributable to the service: on each day it was in availability SLO breach,
-- the previous month's MRR (and paying customers) of the plans that depend on it
breach_days as (
    select
        slo_daily.service_id,
        slo_daily.signal_date,
        sum(coalesce(plan_mrr.mrr_amount, 0)) as mrr_at_risk,
        sum(coalesce(plan_mrr.active_customers, 0)) as customers_at_risk
    from slo_daily
    cross join window_bounds
    inner join plan_services
        on slo_daily.service_id = plan_services.service_id
    left join plan_mrr
        on
            plan_services.plan_id = plan_mrr.plan_id
            and plan_mrr.month_start = cast(
                {{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'slo_daily.signal_date')) }}
                as date
            )
    where
        slo_daily.error_budget_remaining < 0
        and slo_daily.signal_date between window_bounds.lookback_start and window_bounds.lookback_end
    group by slo_daily.service_id, slo_daily.signal_date
),

breaches as (
    select
        service_id,
        count(*) as slo_breached_days,
        max(mrr_at_risk) as revenue_at_risk_peak,
        max(customers_at_risk) as customers_at_risk_peak
    from breach_days
    group by service_id
),

measured as (
    select
        services.service_id,
        services.team_id,
        coalesce(dependence.dependent_plan_count, 0) as dependent_plan_count,
        coalesce(dependence.dependent_customers, 0) as dependent_customers,
        coalesce(dependence.dependent_mrr, 0) as dependent_mrr,
        latest_month.month_start as mrr_month_start,
        window_bounds.lookback_start,
        window_bounds.lookback_end,
        coalesce(incident_history.incident_count, 0) as incident_count,
        coalesce(incident_history.incident_minutes, 0) as incident_minutes,
        coalesce(incident_history.customer_reported_incident_count, 0)
            as customer_reported_incident_count,
        coalesce(incident_history.customer_impact_minutes, 0) as customer_impact_minutes,
        coalesce(breaches.slo_breached_days, 0) as slo_breached_days,
        coalesce(breaches.revenue_at_risk_peak, 0) as revenue_at_risk_peak,
        coalesce(breaches.customers_at_risk_peak, 0) as customers_at_risk_peak,
        coalesce(incident_history.customer_impact_minutes, 0)
        * coalesce(dependence.dependent_customers, 0) as impacted_customer_minutes
    from services
    cross join latest_month
    cross join window_bounds
    left join dependence
        on services.service_id = dependence.service_id
    left join incident_history
        on services.service_id = incident_history.service_id
    left join breaches
        on services.service_id = breaches.service_id
),

scored as (
    select
        measured.*,
        0.50 * coalesce(
            cast(measured.dependent_mrr as double precision)
            / nullif(max(cast(measured.dependent_mrr as double precision)) over (), 0), 0
        )
        + 0.25 * coalesce(
            cast(measured.incident_minutes as double precision)
            / nullif(max(cast(measured.incident_minutes as double precision)) over (), 0), 0
        )
        + 0.25 * coalesce(
            cast(measured.impacted_customer_minutes as double precision)
            / nullif(max(cast(measured.impacted_customer_minutes as double precision)) over (), 0), 0
        ) as criticality_score,
        count(*) over () as service_count
    from measured
),

ranked as (
    select
        scored.*,
        row_number() over (
            order by scored.criticality_score desc, scored.dependent_mrr desc, scored.service_id asc
        ) as criticality_rank
    from scored
),

final as (
    select
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(dependent_plan_count as integer) as dependent_plan_count,
        cast(dependent_customers as bigint) as dependent_customers,
        cast(dependent_mrr as decimal(18, 2)) as dependent_mrr,
        cast(mrr_month_start as date) as mrr_month_start,
        cast(lookback_start as date) as lookback_start,
        cast(lookback_end as date) as lookback_end,
        cast(incident_count as integer) as incident_count,
        cast(incident_minutes as double precision) as incident_minutes,
        cast(customer_reported_incident_count as integer) as customer_reported_incident_count,
        cast(customer_impact_minutes as double precision) as customer_impact_minutes,
        cast(slo_breached_days as integer) as slo_breached_days,
        cast(revenue_at_risk_peak as decimal(18, 2)) as revenue_at_risk_peak,
        cast(customers_at_risk_peak as bigint) as customers_at_risk_peak,
        cast(impacted_customer_minutes as double precision) as impacted_customer_minutes,
        cast(criticality_score as double precision) as criticality_score,
        cast(criticality_rank as integer) as criticality_rank,
        criticality_rank <= least(5, greatest(3, ceil(service_count / 5.0))) as is_top_critical
    from ranked
)

select * from final

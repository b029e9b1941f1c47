-- Contractual SLA adherence per plan, service and month: the service's monthly availability
-- against the plan's SLA (plans.csv `sla_availability`, plans without an SLA are left out), and
-- the SLA credits issued for it (Stripe credit notes with metadata kind = sla_credit).
with

slo_daily as (
    select * from {{ ref('fct_slo_daily') }}
),

plans as (
    select * from {{ ref('plans') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

sla_credit_notes as (
    select * from {{ ref('int_revenue__sla_credit_notes') }}
),

customer_plans as (
    select distinct
        customer_id,
        plan_id
    from {{ ref('fct_mrr_movements') }}
),

service_months as (
    select
        service_id,
        cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start,
        sum(request_count) as request_count,
        sum(error_count) as error_count,
        sum(case when is_below_availability_target then 1 else 0 end) as below_target_days,
        sum(case when is_slo_breached then 1 else 0 end) as slo_breached_days
    from slo_daily
    group by service_id, cast({{ dbt.date_trunc('month', 'signal_date') }} as date)
),

credits as (
    select
        customer_plans.plan_id,
        sla_credit_notes.service_id,
        sla_credit_notes.credited_month_start,
        count(*) as credit_note_count,
        sum(sla_credit_notes.amount_cents) as credited_cents
    from sla_credit_notes
    inner join customer_plans
        on sla_credit_notes.customer_id = customer_plans.customer_id
    group by
        customer_plans.plan_id,
        sla_credit_notes.service_id,
        sla_credit_notes.credited_month_start
),

final as (
    select
        plans.plan_id,
        service_months.service_id,
        service_months.month_start,
        cast(plans.sla_availability as double precision) as sla_availability,
        1 - cast(service_months.error_count as double precision)
        / nullif(service_months.request_count, 0) as availability,
        cast(service_months.below_target_days as integer) as availability_below_target_days,
        cast(service_months.slo_breached_days as integer) as slo_breached_days,
        coalesce(
            1 - cast(service_months.error_count as double precision)
            / nullif(service_months.request_count, 0) < plans.sla_availability,
            false
        ) as is_sla_breached,
        cast(coalesce(credits.credit_note_count, 0) as integer) as sla_credit_notes,
        cast(cast(coalesce(credits.credited_cents, 0) as decimal(18, 2)) / 100 as decimal(18, 2))
            as sla_credits_amount
    from plans
    inner join plan_services
        on plans.plan_id = plan_services.plan_id
    inner join service_months
        on plan_services.service_id = service_months.service_id
    left join credits
        on
            plans.plan_id = credits.plan_id
            and service_months.service_id = credits.service_id
            and service_months.month_start = credits.credited_month_start
    where plans.sla_availability is not null
)

select * from final

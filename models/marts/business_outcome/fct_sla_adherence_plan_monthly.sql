-- Contractual SLA adherence per plan (entity_type `plan`, plans with an SLA) and for the whole
-- organisation (`org`: every plan and service row) and month: the share of the rows of
-- fct_sla_adherence_monthly (one per plan, dependent service and month) whose monthly
-- availability met the plan's SLA (a row not flagged as an SLA breach counts as met), and the
-- SLA credits issued. The metrics m_sla_adherence and m_sla_credits are the projections of
-- sla_adherence and sla_credits_amount.
with

sla_monthly as (
    select * from {{ ref('fct_sla_adherence_monthly') }}
),

-- averages of doubles: Spark averages a decimal literal like 0.0 to 5 digits (0.66667)
entity_months as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start,
        count(*) as service_count,
        sum(case when is_sla_breached then 0 else 1 end) as sla_met_service_count,
        avg(cast(case when is_sla_breached then 0 else 1 end as double precision)) as sla_adherence,
        sum(sla_credits_amount) as sla_credits_amount
    from sla_monthly
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start,
        count(*) as service_count,
        sum(case when is_sla_breached then 0 else 1 end) as sla_met_service_count,
        avg(cast(case when is_sla_breached then 0 else 1 end as double precision)) as sla_adherence,
        sum(sla_credits_amount) as sla_credits_amount
    from sla_monthly
    group by month_start
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(service_count as integer) as service_count,
        cast(sla_met_service_count as integer) as sla_met_service_count,
        cast(sla_adherence as double precision) as sla_adherence,
        cast(sla_credits_amount as decimal(18, 2)) as sla_credits_amount
    from entity_months
)

select * from final

-- Share of a plan's services whose monthly availability met the plan's contractual SLA.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

sla_monthly as (
    select * from {{ ref('fct_sla_adherence_monthly') }}
),

metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(case when is_sla_breached then 0.0 else 1.0 end) as value
    from sla_monthly
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(case when is_sla_breached then 0.0 else 1.0 end) as value
    from sla_monthly
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

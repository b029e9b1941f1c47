-- Share of a plan's services whose monthly availability met the plan's contractual SLA.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

sla_monthly as (
    select * from {{ ref('fct_sla_adherence_monthly') }}
),

-- averages of doubles: Spark averages a decimal literal like 0.0 to 5 digits (0.66667)
metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(cast(case when is_sla_breached then 0 else 1 end as double precision)) as value
    from sla_monthly
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(cast(case when is_sla_breached then 0 else 1 end as double precision)) as value
    from sla_monthly
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

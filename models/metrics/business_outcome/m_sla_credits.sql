-- Amount credited to a plan's customers for SLA breaches in the month.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_sla_adherence') }}
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
        cast(sum(sla_credits_amount) as double precision) as value
    from sla_monthly
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        cast(sum(sla_credits_amount) as double precision) as value
    from sla_monthly
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

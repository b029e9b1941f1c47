-- Share of the rolling 28-day error budget left at the end of the day (fct_slo_daily).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

slo_daily as (
    select * from {{ ref('fct_slo_daily') }}
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        signal_date as period_start,
        'day' as grain,
        cast(error_budget_remaining as double precision) as value
    from slo_daily
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

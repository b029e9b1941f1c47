-- Mean hourly CPU utilisation of a service over the day, 0–1.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_request_count') }}
-- depends_on: {{ ref('m_capacity_hours') }}
with

signals as (
    select * from {{ ref('fct_service_signals_daily') }}
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        signal_date as period_start,
        'day' as grain,
        cast(cpu_utilization_avg as double precision) as value
    from signals
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

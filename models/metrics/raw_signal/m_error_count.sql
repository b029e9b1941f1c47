-- Failed requests per service and day (org: all services).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_latency_p95_ms') }}
-- depends_on: {{ ref('m_change_failure_rate') }}
-- depends_on: {{ ref('m_service_change_failure_rate') }}
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
        cast(error_count as double precision) as value
    from signals
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        signal_date as period_start,
        'day' as grain,
        cast(sum(error_count) as double precision) as value
    from signals
    group by signal_date
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

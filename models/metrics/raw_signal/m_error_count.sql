-- Failed requests per service and day (org: all services): fct_service_traffic_daily.error_count.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_latency_p95_ms') }}
-- depends_on: {{ ref('m_change_failure_rate') }}
-- depends_on: {{ ref('m_service_change_failure_rate') }}
with

traffic_daily as (
    select * from {{ ref('fct_service_traffic_daily') }}
),

metric_rows as (
    {{ metrics_entity_daily('traffic_daily', 'error_count', 'signal_date') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

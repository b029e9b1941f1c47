-- Requests served per service and day (org: all services): fct_service_traffic_daily.request_count.
with

traffic_daily as (
    select * from {{ ref('fct_service_traffic_daily') }}
),

metric_rows as (
    {{ metrics_entity_daily('traffic_daily', 'request_count', 'signal_date') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

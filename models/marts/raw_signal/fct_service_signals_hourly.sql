with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
),

final as (
    select
        service_id,
        team_id,
        hour_at,
        signal_date,
        request_count,
        error_count,
        cast(error_count as double precision) / nullif(request_count, 0) as error_rate,
        cpu_utilization,
        latency_p95_ms,
        is_complete
    from service_hours
)

select * from final

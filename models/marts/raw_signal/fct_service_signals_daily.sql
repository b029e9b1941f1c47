with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
),

daily as (
    select
        service_id,
        team_id,
        signal_date,
        cast(sum(request_count) as bigint) as request_count,
        cast(sum(error_count) as bigint) as error_count,
        {{ exact_avg('cpu_utilization') }} as cpu_utilization_avg,
        max(cpu_utilization) as cpu_utilization_max,
        {{ exact_avg('latency_p95_ms') }} as latency_p95_ms_avg,
        max(latency_p95_ms) as latency_p95_ms_max,
        cast(sum(case when is_complete then 1 else 0 end) as integer) as hours_complete,
        cast(count(*) as integer) as hours_expected
    from service_hours
    group by service_id, team_id, signal_date
),

final as (
    select
        service_id,
        team_id,
        signal_date,
        request_count,
        error_count,
        cast(error_count as double precision) / nullif(request_count, 0) as error_rate,
        cpu_utilization_avg,
        cpu_utilization_max,
        latency_p95_ms_avg,
        latency_p95_ms_max,
        hours_complete,
        hours_expected,
        hours_expected - hours_complete as hours_missing
    from daily
)

select * from final

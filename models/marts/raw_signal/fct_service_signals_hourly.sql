-- INCREMENTAL like its input int_signals__service_hours (same window: incremental_window_start):
-- a scheduled run replaces only the hours from the lookback window on, by (service_id, hour_at),
-- instead of rewriting a row per service and hour of the whole history (8.8 million rows for
-- the 1,000-service benchmark year, README "Performance"); the result equals a full rebuild.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'hour_at'], partition_by='signal_date')
) }}

with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
),

built as (
    {{ incremental_window_start('hour_at', is_incremental()) }}
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
    where
        (select built.window_start_at from built) is null
        or hour_at >= (select built.window_start_at from built)
)

select * from final

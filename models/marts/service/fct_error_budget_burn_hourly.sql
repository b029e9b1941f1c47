-- Multi-window burn rates per service and hour (Google SRE workbook, "Alerting on SLOs").
-- Burn rate = error rate / (1 - availability target): 1 spends the budget exactly over the
-- SLO window. Signals are hourly, so the workbook's short windows (5 min, 30 min) become the
-- current hour: fast burn = 1 h and the hour itself >= 14.4; medium = 6 h >= 6 and 1 h >= 6;
-- slow (ticket) = 3 d >= 1 and 6 h >= 1.
--
-- INCREMENTAL over the same window as int_signals__service_hours (incremental_window_start):
-- a scheduled run recomputes the hours from the window on, reading the 71 hours before it for
-- the 72-hour sums, and replaces them by (service_id, hour_at); equal to a full rebuild.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'hour_at'], partition_by='signal_date')
) }}
{#- the first hour to (re)compute: null on a full build (all of them), else the lookback window -#}
{%- set window_start = incremental_window_start('hour_at', is_incremental()) %}

with

service_hours as (
    -- hours are dense per service, so 71 rows before the window are its 71 hours
    select * from {{ ref('int_signals__service_hours') }}
    where
        {{ window_start }} is null
        or hour_at >= {{ dbt.dateadd('hour', -71, window_start) }}
),

targets as (
    select * from {{ ref('int_service__slo_targets_side_by_side') }}
),

windowed as (
    select
        service_id,
        team_id,
        hour_at,
        request_count,
        error_count,
        sum(request_count) over (
            partition by service_id order by hour_at rows between 5 preceding and current row
        ) as requests_6h,
        sum(error_count) over (
            partition by service_id order by hour_at rows between 5 preceding and current row
        ) as errors_6h,
        sum(request_count) over (
            partition by service_id order by hour_at rows between 71 preceding and current row
        ) as requests_72h,
        sum(error_count) over (
            partition by service_id order by hour_at rows between 71 preceding and current row
        ) as errors_72h
    from service_hours
),

burn as (
    select
        windowed.service_id,
        windowed.team_id,
        windowed.hour_at,
        windowed.request_count,
        windowed.error_count,
        targets.availability_target,
        (cast(windowed.error_count as double precision) / nullif(windowed.request_count, 0))
        / nullif(1 - targets.availability_target, 0) as burn_rate_1h,
        (cast(windowed.errors_6h as double precision) / nullif(windowed.requests_6h, 0))
        / nullif(1 - targets.availability_target, 0) as burn_rate_6h,
        (cast(windowed.errors_72h as double precision) / nullif(windowed.requests_72h, 0))
        / nullif(1 - targets.availability_target, 0) as burn_rate_72h
    from windowed
    inner join targets
        on windowed.service_id = targets.service_id
),

final as (
    select
        service_id,
        team_id,
        hour_at,
        cast(hour_at as date) as signal_date,
        request_count,
        error_count,
        availability_target,
        burn_rate_1h,
        burn_rate_6h,
        burn_rate_72h,
        coalesce(burn_rate_1h >= 14.4, false) as is_fast_burn,
        coalesce(burn_rate_6h >= 6 and burn_rate_1h >= 6, false) as is_medium_burn,
        coalesce(burn_rate_72h >= 1 and burn_rate_6h >= 1, false) as is_slow_burn
    from burn
    where
        {{ window_start }} is null
        or hour_at >= {{ window_start }}
)

select * from final

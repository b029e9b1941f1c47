-- Availability (good / total requests) and latency attainment (share of observed hours whose
-- p95 is within the threshold) per service and day, with the error budget over a rolling
-- window of `slo_window_days` days (var, default 28).
--
-- INCREMENTAL over the window of the hourly chain (incremental_window_start, as
-- fct_service_signals_daily): a scheduled run recomputes the whole days from the window on,
-- reading the `slo_window_days` - 1 days before it for the rolling sums, and replaces them by
-- (service_id, signal_date); equal to a full rebuild. A changed SLO target (slo_targets.csv)
-- or anything that needs a full refresh of the hourly chain needs `dbt build --full-refresh
-- --select int_signals__service_hours+`.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'signal_date'], partition_by='signal_date')
) }}
{#- the first day to (re)compute: null on a full build (all of them), else the lookback window -#}
{%- set window_start = incremental_window_start('signal_date', is_incremental()) %}

with

service_hours as (
    -- the window's days and the days before it that their rolling sums read
    select * from {{ ref('int_signals__service_hours') }}
    where
        {{ window_start }} is null
        or signal_date >= {{ dbt.dateadd(
            'day', 1 - slo_window_days(), window_start) }}
),

targets as (
    select * from {{ ref('int_service__slo_targets_side_by_side') }}
),

daily as (
    select
        service_hours.service_id,
        service_hours.team_id,
        service_hours.signal_date,
        sum(service_hours.request_count) as request_count,
        sum(service_hours.error_count) as error_count,
        sum(
            case
                when service_hours.latency_p95_ms <= targets.latency_threshold_ms then 1
                else 0
            end
        ) as latency_good_hours,
        count(service_hours.latency_p95_ms) as latency_observed_hours
    from service_hours
    inner join targets
        on service_hours.service_id = targets.service_id
    group by service_hours.service_id, service_hours.team_id, service_hours.signal_date
),

windowed as (
    select
        daily.*,
        sum(daily.request_count) over rolling_window as window_request_count,
        sum(daily.error_count) over rolling_window as window_error_count
    from daily
    window rolling_window as (
        partition by daily.service_id
        order by daily.signal_date
        rows between {{ slo_window_days() - 1 }} preceding and current row
    )
),

final as (
    select
        windowed.service_id,
        windowed.team_id,
        windowed.signal_date,
        cast(windowed.request_count as bigint) as request_count,
        cast(windowed.error_count as bigint) as error_count,
        1 - cast(windowed.error_count as double precision)
        / nullif(windowed.request_count, 0) as availability,
        targets.availability_target,
        cast(windowed.latency_good_hours as integer) as latency_good_hours,
        cast(windowed.latency_observed_hours as integer) as latency_observed_hours,
        cast(windowed.latency_good_hours as double precision)
        / nullif(windowed.latency_observed_hours, 0) as latency_attainment,
        targets.latency_target,
        targets.latency_threshold_ms,
        (cast(windowed.error_count as double precision) / nullif(windowed.request_count, 0))
        / nullif(1 - targets.availability_target, 0) as burn_rate,
        1 - cast(windowed.window_error_count as double precision)
        / nullif(windowed.window_request_count * (1 - targets.availability_target), 0)
            as error_budget_remaining,
        coalesce(
            1 - cast(windowed.error_count as double precision)
            / nullif(windowed.request_count, 0) < targets.availability_target,
            false
        ) as is_below_availability_target,
        coalesce(
            cast(windowed.latency_good_hours as double precision)
            / nullif(windowed.latency_observed_hours, 0) < targets.latency_target,
            false
        ) as is_below_latency_target,
        -- in SLO breach: the objective over the rolling window is missed (budget overspent)
        coalesce(
            1 - cast(windowed.window_error_count as double precision)
            / nullif(windowed.window_request_count * (1 - targets.availability_target), 0) < 0,
            false
        ) as is_slo_breached
    from windowed
    inner join targets
        on windowed.service_id = targets.service_id
    where
        {{ window_start }} is null
        or windowed.signal_date >= {{ window_start }}
)

select * from final

-- Every service hour of int_signals__service_hours with the anomaly tests of its signals. An
-- hour is anomalous when its samples are complete and
-- - its error rate burns the availability error budget (above 1 − availability target), or
-- - its CPU utilisation or p95 latency is more than `signals_anomaly_ratio` (default 1.25) times
--   its baseline: the median of the same hour of day over the previous
--   `signals_anomaly_baseline_days` days (default 14, at least 7 of them complete; a median
--   over two weeks stays normal through a fault of up to a week; macro same_hour_baselines).
-- Incomplete hours stay in the table with every flag false and no baseline (baselines are
-- computed for complete hours only; the join has no other condition, which would make it a
-- nested loop on DuckDB).
--
-- INCREMENTAL, as int_signals__service_hours: a scheduled run recomputes the whole days from
-- `signals_lookback_hours` (default 72) before the latest hour already built, reading the
-- baseline's days before them, and replaces them by (service_id, hour_at). Its window starts
-- no later than int_signals__service_hours' (whose rows are the only ones that change), and an
-- hour changed there moves only the baselines of the days after it, all in the window: the
-- result equals a full rebuild. `--full-refresh` of int_signals__service_hours+ rebuilds it.
{%- set baseline_days = var('signals_anomaly_baseline_days', 14) | int %}
{%- set ratio = var('signals_anomaly_ratio', 1.25) %}
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'hour_at'], partition_by='signal_date')
) }}
{#- the first hour to (re)compute: null on a full build (all of them), else the lookback window -#}
{%- set window_start = incremental_window_start('hour_at', is_incremental()) %}

with

service_hours as (
    -- the hours this run reads: the window, and the `baseline_days` before it that its
    -- baselines read (one filter on a constant, so DuckDB reads only their row groups)
    select * from {{ ref('int_signals__service_hours') }}
    where
        {{ window_start }} is null
        or hour_at >= {{ dbt.dateadd('day', -baseline_days, window_start) }}
),

slo_targets as (
    select * from {{ ref('int_service__slo_targets_side_by_side') }}
),

recomputed_hours as (
    select * from service_hours
    where
        {{ window_start }} is null
        or hour_at >= {{ window_start }}
),

baseline_source as (
    -- the complete hours the recomputed hours' baselines read
    select
        service_id,
        hour_at,
        cpu_utilization,
        latency_p95_ms
    from service_hours
    where is_complete
),

baselines as (
    {{ same_hour_baselines('baseline_source', ['cpu_utilization', 'latency_p95_ms'],
        baseline_days) }}
),

final as (
    select
        cast(recomputed_hours.service_id as varchar) as service_id,
        cast(recomputed_hours.hour_at as timestamp) as hour_at,
        cast(recomputed_hours.signal_date as date) as signal_date,
        recomputed_hours.is_complete,
        cast(baselines.baseline_hours as integer) as baseline_hours,
        cast(baselines.cpu_utilization_baseline as double precision) as cpu_utilization_baseline,
        cast(baselines.latency_p95_ms_baseline as double precision) as latency_p95_ms_baseline,
        coalesce(
            recomputed_hours.is_complete
            and recomputed_hours.request_count > 0
            and cast(recomputed_hours.error_count as double precision)
            / recomputed_hours.request_count
            > 1 - slo_targets.availability_target,
            false
        ) as is_error_anomalous,
        coalesce(
            recomputed_hours.is_complete
            and baselines.baseline_hours >= 7
            and recomputed_hours.cpu_utilization
            > {{ ratio }} * baselines.cpu_utilization_baseline,
            false
        ) as is_cpu_anomalous,
        coalesce(
            recomputed_hours.is_complete
            and baselines.baseline_hours >= 7
            and recomputed_hours.latency_p95_ms
            > {{ ratio }} * baselines.latency_p95_ms_baseline,
            false
        ) as is_latency_anomalous
    from recomputed_hours
    left join slo_targets
        on recomputed_hours.service_id = slo_targets.service_id
    left join baselines
        on
            recomputed_hours.service_id = baselines.service_id
            and recomputed_hours.hour_at = baselines.hour_at
)

select * from final

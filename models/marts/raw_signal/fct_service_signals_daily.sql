-- The four golden signals per service and day: sums and exact means of the service's hours.
--
-- INCREMENTAL over the window of the hourly chain (incremental_window_start, var
-- signals_lookback_hours, 72 hours back from the latest day built, to midnight): a scheduled
-- run recomputes the whole days from there and replaces them by (service_id, signal_date), so
-- every day whose hours int_signals__service_hours rebuilt since this table's last build is
-- recomputed from all its hours; equal to a full rebuild. What needs a full refresh of the
-- hourly chain (a sample older than the window, a new service) needs one here too: `dbt build
-- --full-refresh --select int_signals__service_hours+`.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'signal_date'], partition_by='signal_date')
) }}
{#- the first day to (re)compute: null on a full build (all of them), else the lookback window -#}
{%- set window_start = incremental_window_start('signal_date', is_incremental()) %}

with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
    where
        {{ window_start }} is null
        or signal_date >= {{ window_start }}
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

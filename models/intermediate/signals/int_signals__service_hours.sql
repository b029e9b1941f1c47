-- One row per service and hour between the first and last sample of any service, with the
-- four golden signals side by side. Hours without a sample stay in the table with nulls and
-- `is_complete = false`: gaps are explicit, never interpolated.
--
-- Labelled by the hour a sample covers, not the hour it is stamped in: the four queries are
-- `increase(...[1h])` / `rate(...[1h])`, so a sample stamped at t reads (t - 1h, t], and
-- `hour_at` is the start of the hour holding most of that range (the hour of t - 30 minutes):
-- a sample at 10:00 is the hour 09:00-10:00 (docs/periods-and-status.md, "Signal hours").
--
-- INCREMENTAL (volume: services x hours grows every hour). A scheduled `breadcrumbs run`
-- recomputes only the days from `signals_lookback_hours` (default 72) before the latest hour
-- already built (whole days: on Spark they are the partitions insert_overwrite replaces) and
-- replaces them by (service_id, hour_at) (incremental_config: delete+insert on DuckDB and
-- PostgreSQL), so samples that arrive late inside the window are picked up and the result
-- equals a full rebuild.
-- A sample older than the window, or a new service in services.csv, needs
-- `dbt build --full-refresh --select int_signals__service_hours+`.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['service_id', 'hour_at'], partition_by='signal_date')
) }}
{#- the first hour to (re)compute: null on a full build (all of them), else the lookback window -#}
{%- set window_start = incremental_window_start('hour_at', is_incremental()) %}
{#- on DuckDB, when the window start is a constant: the same window on the landed instant too,
    on which DuckDB skips the older row groups (it cannot through `sampled_at`'s conversion,
    which it would compute for every sample of the history; the model's query 2.0 s -> 0.37 s
    at 4 x the benchmark's history, docs/performance.md, *Tenth round*) -#}
{%- set window_on_instant = "sampled_at_tz > (" ~ window_start ~ " at time zone 'UTC')"
    if target.type == 'duckdb' and is_incremental() and execute and this is not string
    else 'true' %}

with

samples as (
    select * from {{ ref('stg_signals__samples') }}
),

services as (
    select * from {{ ref('services') }}
),

stamped as (
    -- a range query's sample at t covers the hour before t: label it by that hour
    select
        service_id,
        metric_name,
        value,
        {{ dbt.date_trunc('hour', dbt.dateadd('minute', -30, 'sampled_at')) }} as hour_at
    from samples
    where
        service_id is not null
        and metric_name in ('requests', 'errors', 'cpu', 'latency_p95')
        and (
            {{ window_start }} is null
            or sampled_at > {{ window_start }}
        )
        and (
            {{ window_start }} is null
            or {{ window_on_instant }}
        )
),

service_samples as (
    select * from stamped
    where
        {{ window_start }} is null
        or hour_at >= {{ window_start }}
),

bounds as (
    select
        coalesce({{ window_start }}, min(hour_at)) as first_hour_at,
        max(hour_at) as last_hour_at
    from service_samples
),

hours as (
    {{ timestamp_series('bounds', 'first_hour_at', 'last_hour_at', '1 hour', 'hour_at') }}
),

pivoted as (
    select
        service_id,
        hour_at,
        sum(case when metric_name = 'requests' then value end) as request_count,
        sum(case when metric_name = 'errors' then value end) as error_count,
        {{ exact_avg("case when metric_name = 'cpu' then value end") }} as cpu_utilization,
        max(case when metric_name = 'latency_p95' then value end) * 1000 as latency_p95_ms
    from service_samples
    group by service_id, hour_at
),

final as (
    select
        services.service_id,
        services.team_id,
        hours.hour_at,
        cast(hours.hour_at as date) as signal_date,
        cast(pivoted.request_count as bigint) as request_count,
        cast(pivoted.error_count as bigint) as error_count,
        cast(pivoted.cpu_utilization as double precision) as cpu_utilization,
        cast(pivoted.latency_p95_ms as double precision) as latency_p95_ms,
        coalesce(
            pivoted.request_count is not null
            and pivoted.error_count is not null
            and pivoted.cpu_utilization is not null
            and pivoted.latency_p95_ms is not null,
            false
        ) as is_complete
    from services
    cross join hours
    left join pivoted
        on
            services.service_id = pivoted.service_id
            and hours.hour_at = pivoted.hour_at
)

select * from final

-- Stretches of consecutive hours in which a service's golden signals were outside their normal
-- range, one row per service and episode. An hour is anomalous when its samples are complete and
-- - its error rate burns the availability error budget (above 1 − availability target), or
-- - its CPU utilisation or p95 latency is more than `signals_anomaly_ratio` (default 1.25) times
--   its baseline: the median of the same hour of day over the previous
--   `signals_anomaly_baseline_days` days (default 14, at least 7 of them with samples; a median
--   over two weeks stays normal through a fault of up to a week).
-- Used to tell a deployment that started a problem from one made while a problem was already
-- under way (int_delivery__incident_deployments): an incident whose episode began before a
-- deployment is not that deployment's failure.
{%- set baseline_days = var('signals_anomaly_baseline_days', 14) | int %}
{%- set ratio = var('signals_anomaly_ratio', 1.25) %}
with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
),

slo_targets as (
    select * from {{ ref('int_service__slo_targets_side_by_side') }}
),

days_back as (
    -- 1..N days back: the same hour of each previous day
    select generated_number as day_offset
    from ({{ dbt.generate_series(baseline_days) }}) as series
),

-- each complete hour, moved forward by 1..N whole days onto the hours it is a baseline for
shifted_hours as (
    select
        service_hours.service_id,
        {{ dbt.dateadd('hour', '24 * days_back.day_offset', 'service_hours.hour_at') }} as baseline_for_hour_at,
        service_hours.cpu_utilization,
        service_hours.latency_p95_ms
    from service_hours
    cross join days_back
    where service_hours.is_complete
),

baselines as (
    select
        service_id,
        baseline_for_hour_at,
        count(*) as baseline_hours,
        {{ percentile('cpu_utilization', 0.5) }} as cpu_utilization_baseline,
        {{ percentile('latency_p95_ms', 0.5) }} as latency_p95_ms_baseline
    from shifted_hours
    group by service_id, baseline_for_hour_at
),

flagged as (
    select
        service_hours.service_id,
        service_hours.hour_at,
        coalesce(
            service_hours.request_count > 0
            and cast(service_hours.error_count as double precision) / service_hours.request_count
            > 1 - slo_targets.availability_target,
            false
        ) as is_error_anomalous,
        coalesce(
            baselines.baseline_hours >= 7
            and service_hours.cpu_utilization > {{ ratio }} * baselines.cpu_utilization_baseline,
            false
        ) as is_cpu_anomalous,
        coalesce(
            baselines.baseline_hours >= 7
            and service_hours.latency_p95_ms > {{ ratio }} * baselines.latency_p95_ms_baseline,
            false
        ) as is_latency_anomalous
    from service_hours
    left join slo_targets
        on service_hours.service_id = slo_targets.service_id
    left join baselines
        on
            service_hours.service_id = baselines.service_id
            and service_hours.hour_at = baselines.baseline_for_hour_at
    where service_hours.is_complete
),

anomalous_hours as (
    select
        service_id,
        hour_at,
        is_error_anomalous,
        is_cpu_anomalous,
        is_latency_anomalous,
        -- gaps and islands: consecutive hours share hour number minus rank
        {{ dbt.datediff("cast('2000-01-01' as timestamp)", 'hour_at', 'hour') }}
        - row_number() over (partition by service_id order by hour_at) as episode_key
    from flagged
    where is_error_anomalous or is_cpu_anomalous or is_latency_anomalous
),

final as (
    select
        cast(service_id as varchar) as service_id,
        cast(min(hour_at) as timestamp) as started_at,
        cast({{ dbt.dateadd('hour', 1, 'max(hour_at)') }} as timestamp) as ended_at,
        cast(count(*) as integer) as anomalous_hours,
        cast(sum(case when is_error_anomalous then 1 else 0 end) as integer) as error_hours,
        cast(sum(case when is_cpu_anomalous then 1 else 0 end) as integer) as cpu_hours,
        cast(sum(case when is_latency_anomalous then 1 else 0 end) as integer) as latency_hours
    from anomalous_hours
    group by service_id, episode_key
)

select * from final

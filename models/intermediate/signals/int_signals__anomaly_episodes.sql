-- Stretches of consecutive hours in which a service's golden signals were outside their normal
-- range, one row per service and episode: the runs of consecutive anomalous hours of
-- int_signals__hourly_anomaly_flags (an error rate burning the error budget, or CPU or p95 latency
-- above `signals_anomaly_ratio` times the same hour's median over the previous
-- `signals_anomaly_baseline_days` days; the tests are there). Rebuilt whole each run from the
-- anomalous hours only (a few thousand rows where the hours are millions).
-- Used to tell a deployment that started a problem from one made while a problem was already
-- under way (int_delivery__incident_deployments): an incident whose episode began before a
-- deployment is not that deployment's failure.
with

hour_tests as (
    select * from {{ ref('int_signals__hourly_anomaly_flags') }}
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
    from hour_tests
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

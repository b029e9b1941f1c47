-- slo_targets.csv holds one row per service and objective; this puts the availability and
-- latency objectives of a service side by side. A service without a row has no SLO.
with

slo_targets as (
    select * from {{ ref('slo_targets') }}
),

final as (
    select
        service_id,
        cast(max(case when slo = 'availability' then target end) as double precision)
            as availability_target,
        cast(max(case when slo = 'latency' then target end) as double precision)
            as latency_target,
        cast(max(case when slo = 'latency' then threshold_ms end) as double precision)
            as latency_threshold_ms
    from slo_targets
    group by service_id
)

select * from final

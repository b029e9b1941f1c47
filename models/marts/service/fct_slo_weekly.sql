-- Weekly SLO attainment per service (weeks start on Monday, UTC).
with

slo_daily as (
    select * from {{ ref('fct_slo_daily') }}
),

weekly as (
    select
        service_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'signal_date') }} as date) as week_start,
        sum(request_count) as request_count,
        sum(error_count) as error_count,
        sum(latency_good_hours) as latency_good_hours,
        sum(latency_observed_hours) as latency_observed_hours,
        max(availability_target) as availability_target,
        max(latency_target) as latency_target,
        sum(case when is_below_availability_target then 1 else 0 end) as below_target_days,
        sum(case when is_slo_breached then 1 else 0 end) as slo_breached_days,
        min(error_budget_remaining) as error_budget_remaining_min
    from slo_daily
    group by
        service_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'signal_date') }} as date)
),

final as (
    select
        service_id,
        team_id,
        week_start,
        cast(request_count as bigint) as request_count,
        cast(error_count as bigint) as error_count,
        1 - cast(error_count as double precision) / nullif(request_count, 0) as availability,
        availability_target,
        cast(latency_good_hours as double precision)
        / nullif(latency_observed_hours, 0) as latency_attainment,
        latency_target,
        cast(below_target_days as integer) as availability_below_target_days,
        cast(slo_breached_days as integer) as slo_breached_days,
        error_budget_remaining_min,
        coalesce(
            1 - cast(error_count as double precision) / nullif(request_count, 0)
            < availability_target,
            false
        ) as is_below_availability_target
    from weekly
)

select * from final

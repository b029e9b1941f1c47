-- One row per day from 2020 to 2035: the time spine MetricFlow joins metrics to
-- (`mf query ... --group-by metric_time__month`). Days only; MetricFlow rolls them up.
with

bounds as (
    select
        cast('2020-01-01' as timestamp) as first_day_at,
        cast('2035-12-31' as timestamp) as last_day_at
),

days as (
    {{ timestamp_series('bounds', 'first_day_at', 'last_day_at', '1 day', 'day_at') }}
),

final as (
    select cast(day_at as date) as date_day
    from days
)

select * from final

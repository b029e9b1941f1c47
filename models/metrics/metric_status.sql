-- Green / amber / red per metric, entity and period (docs/metrics.md): from the catalog's fixed
-- thresholds, or from a robust baseline (median and MAD of the same metric and entity over the
-- previous baseline_weeks) when the thresholds say so. Direction-aware. Every row also carries
-- its robust z-score against that baseline, which `why` uses to call a driver anomalous, and, for
-- the churn metrics, the count test of metric_count_tests (customers leaving against the entity's
-- own churn rate, Poisson noise), which `why` uses instead: churned MRR is too lumpy for a
-- robust z of money.
--
-- INCREMENTAL on DuckDB and PostgreSQL (2.6 million rows for the 1,000-service benchmark year,
-- the slowest node of a scheduled build, README "Performance"): a scheduled run recomputes the
-- periods from the start of the month `metric_status_lookback_days` (default 35) before the
-- latest day already built, against baselines read from the whole of metric_values, and
-- replaces them by key; the open week and month and every period whose `is_complete` can
-- still change are inside that window. A metric value revised further back (data landed
-- late by more than the window) needs `dbt build --full-refresh --select metric_status`.
-- A table on Spark (its day-later check in `make test-spark` covers the hourly chain).
{%- set incremental = target.type in ('duckdb', 'postgres') -%}
{%- set lookback_days = var('metric_status_lookback_days', 35) -%}
{{ config(
    materialized='incremental' if incremental else 'table',
    on_schema_change='fail',
    **(incremental_config(
        unique_key=['metric_id', 'entity_type', 'entity_id', 'grain', 'period_start'])
       if incremental else {})
) }}

with

metric_values as (
    select * from {{ ref('metric_values') }}
),

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

metric_count_tests as (
    select * from {{ ref('metric_count_tests') }}
),

data_end as (
    select max(period_start) as last_day
    from metric_values
    where grain = 'day'
),

built as (
    -- the first period to (re)compute: all of them on a full build, else the lookback window
    {{ incremental_window_start('period_start', is_incremental(), lookback_days, 'day', 'month') }}
),

valued as (
    select
        metric_values.metric_id,
        metric_values.entity_type,
        metric_values.entity_id,
        metric_values.period_start,
        metric_values.grain,
        metric_values.value,
        metric_catalog.unit,
        metric_catalog.direction,
        metric_catalog.threshold_amber,
        metric_catalog.threshold_red,
        coalesce(metric_catalog.red_z, 3) as red_z,
        -- months need a longer window to hold enough points
        case
            when metric_values.grain = 'month'
                then 21 * coalesce(metric_catalog.baseline_weeks, 8)
            else 7 * coalesce(metric_catalog.baseline_weeks, 8)
        end as baseline_days,
        case metric_values.grain
            when 'day' then cast(metric_values.period_start as date)
            when 'week' then cast({{ dbt.dateadd('day', 6, 'metric_values.period_start') }} as date)
            else cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'metric_values.period_start')) }} as date)
        end as period_end
    from metric_values
    inner join metric_catalog
        on metric_values.metric_id = metric_catalog.metric_id
    where
        (select built.window_start_at from built) is null
        or metric_values.period_start >= (select built.window_start_at from built)
),

week_offsets as (
    -- 1..104 weeks back: daily baselines look at the same weekday of each previous week
    -- (baseline_weeks above 104 would need a longer series here)
    select generated_number as weeks_back
    from ({{ dbt.generate_series(104) }}) as series
),

baseline_points as (
    -- daily values: an equi-join on the same weekday of each of the previous baseline weeks
    -- (not a range join: at 1,000 services a range join compares every day with every other
    -- day of the same series before filtering on the weekday)
    select
        valued.metric_id,
        valued.entity_type,
        valued.entity_id,
        valued.period_start,
        history.value as history_value
    from valued
    inner join week_offsets
        on week_offsets.weeks_back * 7 <= valued.baseline_days
    inner join metric_values as history
        on
            valued.metric_id = history.metric_id
            and valued.entity_type = history.entity_type
            and valued.entity_id = history.entity_id
            and valued.grain = history.grain
            and history.period_start
            = cast({{ dbt.dateadd('day', '-7 * week_offsets.weeks_back', 'valued.period_start') }} as date)
    where valued.grain = 'day'
    union all
    -- weeks and months: every earlier period inside the baseline window
    select
        valued.metric_id,
        valued.entity_type,
        valued.entity_id,
        valued.period_start,
        history.value as history_value
    from valued
    inner join metric_values as history
        on
            valued.metric_id = history.metric_id
            and valued.entity_type = history.entity_type
            and valued.entity_id = history.entity_id
            and valued.grain = history.grain
            and valued.period_start > history.period_start
            and {{ dbt.dateadd('day', '-valued.baseline_days', 'valued.period_start') }} <= history.period_start
    where valued.grain <> 'day'
),

medians as (
    select
        metric_id,
        entity_type,
        entity_id,
        period_start,
        count(*) as baseline_points,
        {{ percentile('history_value', 0.5) }} as baseline_median
    from baseline_points
    group by metric_id, entity_type, entity_id, period_start
),

deviations as (
    select
        baseline_points.metric_id,
        baseline_points.entity_type,
        baseline_points.entity_id,
        baseline_points.period_start,
        {{ percentile('abs(baseline_points.history_value - medians.baseline_median)', 0.5) }} as baseline_mad
    from baseline_points
    inner join medians
        on
            baseline_points.metric_id = medians.metric_id
            and baseline_points.entity_type = medians.entity_type
            and baseline_points.entity_id = medians.entity_id
            and baseline_points.period_start = medians.period_start
    group by
        baseline_points.metric_id,
        baseline_points.entity_type,
        baseline_points.entity_id,
        baseline_points.period_start
),

scored as (
    select
        valued.*,
        medians.baseline_median,
        deviations.baseline_mad,
        coalesce(medians.baseline_points, 0) as baseline_points,
        -- robust scale: 1.4826 MAD, floored so that a flat history does not turn every wiggle
        -- into an anomaly: one unit, 10 % of the median or its
        -- square root (Poisson noise) for counts and money, 5 % of the
        -- distance to 0 or 1 for ratios (availability near 1 stays sensitive), 5 % of the
        -- median otherwise
        greatest(
            1.4826 * coalesce(deviations.baseline_mad, 0),
            case
                when valued.unit in ('count', 'currency')
                    then greatest(
                            1.0,
                            0.1 * abs(coalesce(medians.baseline_median, 0)),
                            sqrt(abs(coalesce(medians.baseline_median, 0)))
                        )
                when valued.unit = 'ratio'
                    then greatest(
                            0.0001,
                            0.05 * least(
                                abs(coalesce(medians.baseline_median, 0)),
                                abs(1 - coalesce(medians.baseline_median, 0))
                            )
                        )
                else greatest(0.000001, 0.05 * abs(coalesce(medians.baseline_median, 0)))
            end
        ) as baseline_scale
    from valued
    left join medians
        on
            valued.metric_id = medians.metric_id
            and valued.entity_type = medians.entity_type
            and valued.entity_id = medians.entity_id
            and valued.period_start = medians.period_start
    left join deviations
        on
            valued.metric_id = deviations.metric_id
            and valued.entity_type = deviations.entity_type
            and valued.entity_id = deviations.entity_id
            and valued.period_start = deviations.period_start
),

with_z as (
    select
        scored.*,
        case
            when scored.baseline_points >= 3
                then (scored.value - scored.baseline_median) / scored.baseline_scale
        end as z_score,
        metric_count_tests.count_z_score
    from scored
    left join metric_count_tests
        on
            scored.metric_id = metric_count_tests.metric_id
            and scored.entity_type = metric_count_tests.entity_type
            and scored.entity_id = metric_count_tests.entity_id
            and scored.period_start = metric_count_tests.period_start
            and scored.grain = metric_count_tests.grain
),

final as (
    select
        cast(metric_id as varchar) as metric_id,
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(grain as varchar) as grain,
        cast(value as double precision) as value,
        cast(baseline_median as double precision) as baseline_median,
        cast(baseline_mad as double precision) as baseline_mad,
        cast(baseline_points as integer) as baseline_points,
        cast(z_score + 0.0 as double precision) as z_score,
        cast(count_z_score as double precision) as count_z_score,
        cast(
            case when direction = 'higher_is_better' then 0.0 - z_score else z_score + 0.0 end
            as double precision
        ) as adverse_z_score,
        cast(
            case
                when threshold_red is not null and direction = 'lower_is_better'
                    then case
                            when value > threshold_red then 'red'
                            when value > threshold_amber then 'amber'
                            else 'green'
                        end
                when threshold_red is not null
                    then case
                            when value < threshold_red then 'red'
                            when value < threshold_amber then 'amber'
                            else 'green'
                        end
                when z_score is null then 'green'
                when (case when direction = 'higher_is_better' then -z_score else z_score end) >= red_z
                    then 'red'
                when (case when direction = 'higher_is_better' then -z_score else z_score end) >= red_z * 2.0 / 3.0
                    then 'amber'
                else 'green'
            end as varchar
        ) as status,
        cast(case when threshold_red is not null then 'thresholds' else 'baseline' end as varchar)
            as status_basis,
        period_end <= (select data_end.last_day from data_end) as is_complete
    from with_z
)

select * from final

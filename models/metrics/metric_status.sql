-- Green / amber / red per metric, entity and period (DESIGN.md §7, docs/periods-and-status.md):
-- from the catalog's absolute thresholds, or from a robust baseline (median and MAD of the
-- same metric and entity over the previous baseline_weeks) when the thresholds say so.
-- Direction-aware. A period the data does not cover from its first to its last day (and, for
-- a windowed metric, whose window reaches before the first day of data) is `incomplete`:
-- never green, amber or red, and never in a baseline. A complete period its own status found
-- red is left out of the baselines of later periods, so an outage does not become "normal"
-- for the next one (two passes, as metric_count_tests: every period is first judged against
-- all earlier complete periods; the red ones of that pass are then left out). Every row also
-- carries its robust z-score against that baseline, which `why` uses to call a driver
-- anomalous, and, for the churn metrics, the count test of metric_count_tests (customers
-- leaving against the entity's own churn rate, Poisson noise), which `why` uses instead:
-- churned MRR is too lumpy for a robust z of money.
--
-- INCREMENTAL on DuckDB and PostgreSQL (2.6 million rows for the 1,000-service benchmark year,
-- the slowest node of a scheduled build, README "Performance"): a scheduled run recomputes the
-- periods from the start of the month `metric_status_lookback_days` (default 35) before the
-- latest day already built, against baselines read from the whole of metric_values (the first
-- pass judges the periods of those baselines again, against their own whole history, so the
-- result equals a full rebuild), and replaces them by key; the open week and month and every
-- period whose `is_complete` can still change are inside that window. A metric value revised
-- further back (data landed late by more than the window) needs
-- `dbt build --full-refresh --select metric_status`.
-- A table on Spark (its day-later check in `make test-spark` covers the hourly chain).
{%- set incremental = target.type in ('duckdb', 'postgres') -%}
{%- set lookback_days = var('metric_status_lookback_days', 35) -%}
{#- the status of a scored row (columns value, z_score, thresholds, direction, red_z) -#}
{%- set status_case -%}
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
    end
{%- endset -%}
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

data_bounds as (
    -- the days the data covers: those of the daily metrics (every source lands daily facts)
    select
        min(period_start) as first_day,
        max(period_start) as last_day
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
        -- days of data each value reads (a rolling window, e.g. the SLO window); 1 otherwise
        coalesce(metric_catalog.window_days, 1) as window_days,
        -- a source read in full (Stripe) covers every period from the metric's first one
        coalesce(metric_catalog.coverage, 'load_window') = 'full_history' as is_full_history,
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
),

completeness as (
    -- complete: the data covers the period from its first to its last day, and the window of
    -- its first day (window_days back) starts on or after the first day of data; a metric read
    -- from a source's full history starts covered
    select
        valued.*,
        coalesce(
            (
                valued.is_full_history
                or cast({{ dbt.dateadd('day', '1 - valued.window_days', 'valued.period_start') }} as date)
                >= data_bounds.first_day
            )
            and valued.period_end <= data_bounds.last_day,
            false
        ) as is_complete
    from valued
    cross join data_bounds
),

targets as (
    -- the periods this build writes
    select * from completeness
    where
        (select built.window_start_at from built) is null
        or completeness.period_start >= (select built.window_start_at from built)
),

first_subjects as (
    -- the complete periods whose first-pass status a target's baseline needs: the targets and
    -- every period inside their baseline window
    select * from completeness
    where
        completeness.is_complete
        and (
            (select built.window_start_at from built) is null
            or {{ dbt.dateadd('day', 'completeness.baseline_days', 'completeness.period_start') }}
            >= (select built.window_start_at from built)
        )
),

first_history as (
    -- pass 1: every earlier complete period
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        value as history_value,
        false as is_red
    from completeness
    where is_complete
),

week_offsets as (
    -- 1..104 weeks back: daily baselines look at the same weekday of each previous week
    -- (baseline_weeks above 104 would need a longer series here)
    select generated_number as weeks_back
    from ({{ dbt.generate_series(104) }}) as series
),
{%- for pass in ['first', 'final'] %}
{%- set subjects = 'first_subjects' if pass == 'first' else 'targets' %}

{{ pass }}_points as (
    -- daily values: an equi-join on the same weekday of each of the previous baseline weeks
    -- (not a range join: at 1,000 services a range join compares every day with every other
    -- day of the same series before filtering on the weekday)
    select
        subjects.metric_id,
        subjects.entity_type,
        subjects.entity_id,
        subjects.grain,
        subjects.period_start,
        history.history_value,
        history.is_red
    from {{ subjects }} as subjects
    inner join week_offsets
        on week_offsets.weeks_back * 7 <= subjects.baseline_days
    inner join {{ pass }}_history as history
        on
            subjects.metric_id = history.metric_id
            and subjects.entity_type = history.entity_type
            and subjects.entity_id = history.entity_id
            and subjects.grain = history.grain
            and history.period_start
            = cast({{ dbt.dateadd('day', '-7 * week_offsets.weeks_back', 'subjects.period_start') }} as date)
    where subjects.grain = 'day'
    union all
    -- weeks and months: every earlier period inside the baseline window
    select
        subjects.metric_id,
        subjects.entity_type,
        subjects.entity_id,
        subjects.grain,
        subjects.period_start,
        history.history_value,
        history.is_red
    from {{ subjects }} as subjects
    inner join {{ pass }}_history as history
        on
            subjects.metric_id = history.metric_id
            and subjects.entity_type = history.entity_type
            and subjects.entity_id = history.entity_id
            and subjects.grain = history.grain
            and subjects.period_start > history.period_start
            and {{ dbt.dateadd('day', '-subjects.baseline_days', 'subjects.period_start') }} <= history.period_start
    where subjects.grain <> 'day'
),

{{ pass }}_kept as (
    -- red periods stay in the window as a count, without their value (aggregates skip nulls)
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        is_red,
        case when is_red then null else history_value end as history_value
    from {{ pass }}_points
),

{{ pass }}_medians as (
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        count(history_value) as baseline_points,
        sum(case when is_red then 1 else 0 end) as baseline_red_points,
        {{ percentile('history_value', 0.5) }} as baseline_median
    from {{ pass }}_kept
    group by metric_id, entity_type, entity_id, grain, period_start
),

{{ pass }}_deviations as (
    select
        kept.metric_id,
        kept.entity_type,
        kept.entity_id,
        kept.grain,
        kept.period_start,
        {{ percentile('abs(kept.history_value - medians.baseline_median)', 0.5) }} as baseline_mad
    from {{ pass }}_kept as kept
    inner join {{ pass }}_medians as medians
        on
            kept.metric_id = medians.metric_id
            and kept.entity_type = medians.entity_type
            and kept.entity_id = medians.entity_id
            and kept.grain = medians.grain
            and kept.period_start = medians.period_start
    group by
        kept.metric_id,
        kept.entity_type,
        kept.entity_id,
        kept.grain,
        kept.period_start
),

{{ pass }}_scaled as (
    select
        subjects.*,
        medians.baseline_median,
        deviations.baseline_mad,
        coalesce(medians.baseline_points, 0) as baseline_points,
        coalesce(medians.baseline_red_points, 0) as baseline_red_points,
        -- robust scale: 1.4826 MAD, floored so that a flat history does not turn every wiggle
        -- into an anomaly: one unit, 10 % of the median or its
        -- square root (Poisson noise) for counts and money, 5 % of the
        -- distance to 0 or 1 for ratios (availability near 1 stays sensitive), 5 % of the
        -- median otherwise
        greatest(
            1.4826 * coalesce(deviations.baseline_mad, 0),
            case
                when subjects.unit in ('count', 'currency')
                    then greatest(
                            1.0,
                            0.1 * abs(coalesce(medians.baseline_median, 0)),
                            sqrt(abs(coalesce(medians.baseline_median, 0)))
                        )
                when subjects.unit = 'ratio'
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
    from {{ subjects }} as subjects
    left join {{ pass }}_medians as medians
        on
            subjects.metric_id = medians.metric_id
            and subjects.entity_type = medians.entity_type
            and subjects.entity_id = medians.entity_id
            and subjects.grain = medians.grain
            and subjects.period_start = medians.period_start
    left join {{ pass }}_deviations as deviations
        on
            subjects.metric_id = deviations.metric_id
            and subjects.entity_type = deviations.entity_type
            and subjects.entity_id = deviations.entity_id
            and subjects.grain = deviations.grain
            and subjects.period_start = deviations.period_start
),

{{ pass }}_scored as (
    select
        {{ pass }}_scaled.*,
        case
            when {{ pass }}_scaled.baseline_points >= 3
                then ({{ pass }}_scaled.value - {{ pass }}_scaled.baseline_median)
                / {{ pass }}_scaled.baseline_scale
        end as z_score
    from {{ pass }}_scaled
),
{%- if pass == 'first' %}

final_history as (
    -- pass 2: the same complete periods, each flagged when pass 1 found it red
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        value as history_value,
        {{ status_case }} = 'red' as is_red
    from first_scored
),
{%- endif %}
{%- endfor %}

with_z as (
    select
        final_scored.*,
        {{ status_case }} as judged_status,
        metric_count_tests.count_z_score
    from final_scored
    left join metric_count_tests
        on
            final_scored.metric_id = metric_count_tests.metric_id
            and final_scored.entity_type = metric_count_tests.entity_type
            and final_scored.entity_id = metric_count_tests.entity_id
            and final_scored.period_start = metric_count_tests.period_start
            and final_scored.grain = metric_count_tests.grain
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
        cast(baseline_red_points as integer) as baseline_red_points,
        cast(z_score + 0.0 as double precision) as z_score,
        cast(count_z_score as double precision) as count_z_score,
        cast(
            case when direction = 'higher_is_better' then 0.0 - z_score else z_score + 0.0 end
            as double precision
        ) as adverse_z_score,
        -- an incomplete period is never coloured
        cast(case when is_complete then judged_status else 'incomplete' end as varchar) as status,
        cast(case when threshold_red is not null then 'thresholds' else 'baseline' end as varchar)
            as status_basis,
        is_complete
    from with_z
)

select * from final

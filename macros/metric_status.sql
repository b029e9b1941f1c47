{#- metric_status (models/metrics/metric_status.sql, docs/periods-and-status.md): the status of
    a scored row from its columns value, z_score, threshold_amber, threshold_red, direction and
    red_z: absolute thresholds when the catalog has them, else the robust z against red_z (amber
    at two thirds of it); green with no z-score. -#}
{% macro metric_status_case() -%}
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
{%- endmacro %}

{#- The robust statistics of one pass of metric_status's baseline, as CTEs ending in
    `<pass>_stats` (no trailing comma): per subject period (metric_id, entity_type, entity_id,
    grain, period_start) of the CTE `kept` (one row per baseline point, columns is_red and
    history_value, null when is_red), baseline_points (points with a value), baseline_red_points,
    baseline_median and baseline_mad (the median absolute deviation from that median). Points
    flagged is_red are counted but left out of the median and MAD (aggregates skip nulls).
    Dispatched for the plan's sake, same numbers: the MAD needs each point next to its median.
    PostgreSQL has no windowed percentile, so the default joins the points back to their
    medians (DuckDB and PostgreSQL materialize a CTE read twice); Spark inlines every CTE
    reference, so it reads the median from a window over the points instead of a self-join. -#}
{% macro metric_status_stats(pass, kept) -%}
    {{ return(adapter.dispatch('metric_status_stats', 'breadcrumbs')(pass, kept)) }}
{%- endmacro %}

{% macro default__metric_status_stats(pass, kept) -%}
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
    from {{ kept }}
    group by metric_id, entity_type, entity_id, grain, period_start
),

{{ pass }}_stats as (
    -- every subject of `medians` has points, so the inner join keeps them all
    select
        medians.metric_id,
        medians.entity_type,
        medians.entity_id,
        medians.grain,
        medians.period_start,
        medians.baseline_points,
        medians.baseline_red_points,
        medians.baseline_median,
        {{ percentile('abs(kept.history_value - medians.baseline_median)', 0.5) }} as baseline_mad
    from {{ kept }} as kept
    inner join {{ pass }}_medians as medians
        on
            kept.metric_id = medians.metric_id
            and kept.entity_type = medians.entity_type
            and kept.entity_id = medians.entity_id
            and kept.grain = medians.grain
            and kept.period_start = medians.period_start
    group by
        medians.metric_id,
        medians.entity_type,
        medians.entity_id,
        medians.grain,
        medians.period_start,
        medians.baseline_points,
        medians.baseline_red_points,
        medians.baseline_median
)
{%- endmacro %}

{% macro spark__metric_status_stats(pass, kept) -%}
{{ pass }}_medians as (
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        is_red,
        history_value,
        {{ percentile('history_value', 0.5) }} over (
            partition by metric_id, entity_type, entity_id, grain, period_start
        ) as baseline_median
    from {{ kept }}
),

{{ pass }}_stats as (
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        count(history_value) as baseline_points,
        sum(case when is_red then 1 else 0 end) as baseline_red_points,
        -- one value per subject
        max(baseline_median) as baseline_median,
        {{ percentile('abs(history_value - baseline_median)', 0.5) }} as baseline_mad
    from {{ pass }}_medians
    group by metric_id, entity_type, entity_id, grain, period_start
)
{%- endmacro %}

{#- The scored periods of one pass of metric_status, as CTEs `<pass>_scaled` and
    `<pass>_scored` (no trailing comma): the periods of `subjects` (CTE with the columns of
    metric_status's `periods`) with the statistics of `<pass>_stats` (metric_status_stats),
    a robust scale and the z-score against the baseline (null below 3 points). -#}
{% macro metric_status_score(pass, subjects) -%}
{{ pass }}_scaled as (
    select
        subjects.*,
        stats.baseline_median,
        stats.baseline_mad,
        coalesce(stats.baseline_points, 0) as baseline_points,
        coalesce(stats.baseline_red_points, 0) as baseline_red_points,
        -- robust scale: 1.4826 MAD, floored so that a flat history does not turn every wiggle
        -- into an anomaly: one unit, 10 % of the median or its
        -- square root (Poisson noise) for counts and money, 5 % of the
        -- distance to 0 or 1 for ratios (availability near 1 stays sensitive), 5 % of the
        -- median otherwise
        greatest(
            1.4826 * coalesce(stats.baseline_mad, 0),
            case
                when subjects.unit in ('count', 'currency')
                    then greatest(
                            1.0,
                            0.1 * abs(coalesce(stats.baseline_median, 0)),
                            sqrt(abs(coalesce(stats.baseline_median, 0)))
                        )
                when subjects.unit = 'ratio'
                    then greatest(
                            0.0001,
                            0.05 * least(
                                abs(coalesce(stats.baseline_median, 0)),
                                abs(1 - coalesce(stats.baseline_median, 0))
                            )
                        )
                else greatest(0.000001, 0.05 * abs(coalesce(stats.baseline_median, 0)))
            end
        ) as baseline_scale
    from {{ subjects }} as subjects
    left join {{ pass }}_stats as stats
        on
            subjects.metric_id = stats.metric_id
            and subjects.entity_type = stats.entity_type
            and subjects.entity_id = stats.entity_id
            and subjects.grain = stats.grain
            and subjects.period_start = stats.period_start
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
)
{%- endmacro %}


{#- The baseline statistics of metric_status's two passes, as CTEs `first_stats` and
    `final_stats` (no trailing comma), in the columns metric_status_score reads: per period,
    baseline_points, baseline_red_points, baseline_median and baseline_mad over the complete
    periods of the same series inside its baseline window (daily metrics: the same weekday of
    each earlier week; weeks and months: every earlier period), `periods` being metric_status's
    CTE of that name. Pass 1 (first_stats, for its first-pass subjects) counts every such
    period; pass 2 (final_stats, for its targets) leaves out of the median and MAD the periods
    pass 1 found red (`final_history`: per complete period, is_red), counting them in
    baseline_red_points. Dispatched, same numbers (make test-postgres and make test-spark
    compare the tables): the default lists every (period, baseline point) pair once and
    aggregates it per pass; DuckDB computes the same median and MAD as window aggregates over
    each series, which reads each period once instead of once per period whose baseline holds
    it (2.6 million periods with 8 to 24 points each on the benchmark org). -#}
{% macro metric_status_first_stats(periods) -%}
    {{ return(adapter.dispatch('metric_status_first_stats', 'breadcrumbs')(periods)) }}
{%- endmacro %}

{% macro metric_status_final_stats(periods, final_history) -%}
    {{ return(adapter.dispatch('metric_status_final_stats', 'breadcrumbs')(periods, final_history)) }}
{%- endmacro %}

{% macro default__metric_status_first_stats(periods) -%}
week_offsets as (
    -- 1..104 weeks back: daily baselines look at the same weekday of each previous week
    -- (baseline_weeks above 104 would need a longer series here)
    select generated_number as weeks_back
    from ({{ dbt.generate_series(104) }}) as series
),

points as (
    -- every pair of a subject (a target or a first-pass subject) and an earlier complete period
    -- of the same series inside its baseline window, built once for both passes.
    -- Daily values: an equi-join on the same weekday of each of the previous baseline weeks
    -- (not a range join: at 1,000 services a range join compares every day with every other
    -- day of the same series before filtering on the weekday)
    select
        subjects.metric_id,
        subjects.entity_type,
        subjects.entity_id,
        subjects.grain,
        subjects.period_start,
        subjects.is_target,
        subjects.is_first_subject,
        history.period_start as history_start,
        history.value as history_value
    from {{ periods }} as subjects
    inner join week_offsets
        on week_offsets.weeks_back * 7 <= subjects.baseline_days
    inner join {{ periods }} as history
        on
            subjects.metric_id = history.metric_id
            and subjects.entity_type = history.entity_type
            and subjects.entity_id = history.entity_id
            and subjects.grain = history.grain
            and history.period_start
            = cast({{ dbt.dateadd('day', '-7 * week_offsets.weeks_back', 'subjects.period_start') }} as date)
    where
        subjects.grain = 'day'
        and (subjects.is_target or subjects.is_first_subject)
        and history.is_complete
    union all
    -- weeks and months: every earlier period inside the baseline window
    select
        subjects.metric_id,
        subjects.entity_type,
        subjects.entity_id,
        subjects.grain,
        subjects.period_start,
        subjects.is_target,
        subjects.is_first_subject,
        history.period_start as history_start,
        history.value as history_value
    from {{ periods }} as subjects
    inner join {{ periods }} as history
        on
            subjects.metric_id = history.metric_id
            and subjects.entity_type = history.entity_type
            and subjects.entity_id = history.entity_id
            and subjects.grain = history.grain
            and subjects.period_start > history.period_start
            and {{ dbt.dateadd('day', '-subjects.baseline_days', 'subjects.period_start') }} <= history.period_start
    where
        subjects.grain <> 'day'
        and (subjects.is_target or subjects.is_first_subject)
        and history.is_complete
),

first_kept as (
    -- pass 1: every first-pass subject against every earlier complete period in its window
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        false as is_red,
        history_value
    from points
    where is_first_subject
),

{{ metric_status_stats('first', 'first_kept') }}
{%- endmacro %}

{% macro default__metric_status_final_stats(periods, final_history) -%}
final_kept as (
    -- pass 2: the targets against the same points; red periods stay in the window as a count,
    -- without their value (aggregates skip nulls). Every point of a target is itself a
    -- first-pass subject (it lies inside the target's baseline window), so the inner join keeps
    -- them all.
    select
        points.metric_id,
        points.entity_type,
        points.entity_id,
        points.grain,
        points.period_start,
        final_history.is_red,
        case when final_history.is_red then null else points.history_value end as history_value
    from points
    inner join {{ final_history }} as final_history
        on
            points.metric_id = final_history.metric_id
            and points.entity_type = final_history.entity_type
            and points.entity_id = final_history.entity_id
            and points.grain = final_history.grain
            and points.history_start = final_history.period_start
    where points.is_target
),

{{ metric_status_stats('final', 'final_kept') }}
{%- endmacro %}

{#- DuckDB: the window of a period's baseline: the same series (and, for daily values, the same
    weekday), the periods from baseline_days before it to the day before it (`period_day`: the
    period's start in days since 1970-01-01). -#}
{% macro metric_status_baseline_window() -%}
    partition by
        metric_id,
        entity_type,
        entity_id,
        grain,
        case when grain = 'day' then isodow(period_start) end
    order by period_day
    range between baseline_days preceding and 1 preceding
{%- endmacro %}

{% macro duckdb__metric_status_first_stats(periods) -%}
first_stats as (
    -- pass 1: every complete period of the window counts
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        count(baseline_value) over baseline as baseline_points,
        0 as baseline_red_points,
        quantile_cont(baseline_value, 0.5) over baseline as baseline_median,
        mad(baseline_value) over baseline as baseline_mad
    from (
        select
            *,
            period_start - date '1970-01-01' as period_day,
            case when is_complete then value end as baseline_value
        from {{ periods }}
    ) as valued_periods
    window baseline as ({{ metric_status_baseline_window() }})
)
{%- endmacro %}

{% macro duckdb__metric_status_final_stats(periods, final_history) -%}
final_stats as (
    -- pass 2: the periods pass 1 found red count, without their value. Every complete period
    -- inside a target's window is a first-pass subject, so every one of them has is_red.
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        count(baseline_value) over baseline as baseline_points,
        sum(case when is_red then 1 else 0 end) over baseline as baseline_red_points,
        quantile_cont(baseline_value, 0.5) over baseline as baseline_median,
        mad(baseline_value) over baseline as baseline_mad
    from (
        select
            periods.*,
            judged.is_red,
            periods.period_start - date '1970-01-01' as period_day,
            case when not judged.is_red then periods.value end as baseline_value
        from {{ periods }} as periods
        left join {{ final_history }} as judged
            on
                periods.metric_id = judged.metric_id
                and periods.entity_type = judged.entity_type
                and periods.entity_id = judged.entity_id
                and periods.grain = judged.grain
                and periods.period_start = judged.period_start
    ) as judged_periods
    window baseline as ({{ metric_status_baseline_window() }})
)
{%- endmacro %}

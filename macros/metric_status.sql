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

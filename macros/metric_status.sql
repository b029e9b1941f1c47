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

{#- One pass of metric_status's robust baseline, as CTEs `<pass>_points`, `_kept`, `_medians`,
    `_deviations`, `_scaled` and `_scored` (no trailing comma): the periods of `subjects`
    (CTE with the columns of metric_status's `completeness`) against the earlier periods of
    `history` (metric_id, entity_type, entity_id, grain, period_start, history_value, is_red)
    inside their baseline window; periods flagged is_red are counted (baseline_red_points) but
    left out of the median and MAD. Daily metrics compare with the same weekday only. -#}
{% macro metric_status_pass(pass, subjects, history) -%}
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
    inner join {{ history }} as history
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
    inner join {{ history }} as history
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
)
{%- endmacro %}

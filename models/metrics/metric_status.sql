-- Green / amber / red per metric, entity and period (docs/metrics.md, docs/periods-and-status.md):
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
-- INCREMENTAL on DuckDB and PostgreSQL (3.1 million rows for the 1,000-service benchmark year;
-- docs/performance.md): a scheduled run recomputes the periods from the start of the month
-- `metric_status_lookback_days` (default 35) before the latest day already built, against
-- baselines read from metric_values (the first pass judges the periods of those baselines
-- again, against their own baselines, so the result equals a full rebuild; it reads no value
-- older than two baseline windows before the first period it writes, so its cost follows the
-- window, not the history), and replaces those periods whole (every row of a period it writes,
-- so a value gone from metric_values goes from here too); the open week and month and every
-- period whose `is_complete` can still change are inside that window. A metric value revised
-- further back (data landed late by more than the window) needs
-- `dbt build --full-refresh --select metric_status`. The baselines' statistics are the macros
-- metric_status_first_stats and metric_status_final_stats (window aggregates on DuckDB).
-- A table on Spark (its day-later check in `make test-spark` covers the hourly chain).
{%- set incremental = target.type in ('duckdb', 'postgres') -%}
{%- set lookback_days = var('metric_status_lookback_days', 35) -%}
{#- delete+insert by period start, not by row (unique_key is the replace key): the run's batch
    holds every day from its first period on (daily metrics have a row every day), and every
    row of those days, whatever its metric, entity or grain, is replaced, so a metric value gone
    from metric_values (a period whose inputs moved) leaves no stale status behind. A single
    column: dbt-duckdb deletes by a column list with a join, which on a key that is not unique
    pairs every old row of a day with every new one. -#}
{{ config(
    materialized='incremental' if incremental else 'table',
    on_schema_change='fail',
    **(incremental_config(unique_key='period_start') if incremental else {})
) }}
{#- the first period to (re)compute: null on a full build (all of them), else the lookback
    window back to the start of its month -#}
{%- set window_start = incremental_window_start('period_start', is_incremental(), lookback_days,
                                                'day', 'month') %}

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
    select {{ window_start }} as window_start_at
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

periods as (
    -- each period flagged: is_target, a period this build writes; is_first_subject, a complete
    -- period whose first-pass status a target's baseline needs (the targets and every period
    -- inside their baseline window)
    select
        completeness.*,
        (
            built.window_start_at is null
            or completeness.period_start >= built.window_start_at
        ) as is_target,
        completeness.is_complete
        and (
            built.window_start_at is null
            or {{ dbt.dateadd('day', 'completeness.baseline_days', 'completeness.period_start') }}
            >= built.window_start_at
        ) as is_first_subject
    from completeness
    cross join built
    -- an incremental run reads no further back than its first-pass subjects' baselines: two
    -- baseline windows before the first target (a build from scratch reads everything)
    where
        built.window_start_at is null
        or {{ dbt.dateadd('day', '2 * completeness.baseline_days', 'completeness.period_start') }}
        >= built.window_start_at
),

targets as (
    select * from periods
    where is_target
),

first_subjects as (
    select * from periods
    where is_first_subject
),

{{ metric_status_first_stats('periods') }},

{{ metric_status_score('first', 'first_subjects') }},

final_history as (
    -- the complete periods pass 1 judged, each flagged when it found them red
    select
        metric_id,
        entity_type,
        entity_id,
        grain,
        period_start,
        {{ metric_status_case() }} = 'red' as is_red
    from first_scored
),

{{ metric_status_final_stats('periods', 'final_history') }},

{{ metric_status_score('final', 'targets') }},

with_z as (
    select
        final_scored.*,
        {{ metric_status_case() }} as judged_status,
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

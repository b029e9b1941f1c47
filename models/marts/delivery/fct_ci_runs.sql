-- One row per GitHub Actions workflow run with its attempts (from the jobs of every
-- attempt), outcome, flakiness and durations in minutes, owned by the team of its repo.
--
-- INCREMENTAL (volume: every push runs CI). A scheduled `breadcrumbs run` rebuilds the runs
-- created in the weeks of the last `ci_lookback_days` (default 7) before the newest run
-- already built, and the weeks of every run that was still in progress — whole weeks: on
-- Spark they are the partitions insert_overwrite replaces — replacing them by
-- workflow_run_id (incremental_config: delete+insert on DuckDB and PostgreSQL).
-- Flakiness looks at earlier runs of the same commit through int_delivery__ci_runs, which
-- sees all runs, so a rebuilt row equals its full-rebuild value. A re-run of a run older than
-- the window needs `dbt build --full-refresh --select fct_ci_runs+`.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key='workflow_run_id', partition_by='created_week')
) }}

with

ci_runs as (
    select * from {{ ref('int_delivery__ci_runs') }}
    {% if is_incremental() %}
        where
            {{ dbt.date_trunc('week', 'created_at') }} >= (
                select
                    {{ dbt.date_trunc('week', dbt.dateadd(
                        'day', -var('ci_lookback_days', 7), 'max(created_at)')) }}
                from {{ this }}
            )
            or cast({{ dbt.date_trunc('week', 'created_at') }} as date) in (
                select created_week from {{ this }}
                where not is_completed
            )
    {% endif %}
),

final as (
    select
        cast(workflow_run_id as bigint) as workflow_run_id,
        cast(repo_full_name as varchar) as repo_full_name,
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(workflow_id as bigint) as workflow_id,
        cast(workflow_name as varchar) as workflow_name,
        cast(trigger_event as varchar) as trigger_event,
        cast(head_sha as varchar) as head_sha,
        cast(status as varchar) as status,
        cast(conclusion as varchar) as conclusion,
        cast(is_completed as boolean) as is_completed,
        cast(is_success as boolean) as is_success,
        cast(run_attempt as integer) as run_attempt,
        cast(attempt_count as integer) as attempt_count,
        cast(job_count as integer) as job_count,
        cast(failed_job_count as integer) as failed_job_count,
        cast(is_flaky as boolean) as is_flaky,
        cast(created_at as timestamp) as created_at,
        cast(run_started_at as timestamp) as run_started_at,
        cast(completed_at as timestamp) as completed_at,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as created_week,
        cast(duration_minutes as double precision) as duration_minutes,
        cast(last_attempt_duration_minutes as double precision) as last_attempt_duration_minutes,
        cast(job_minutes as double precision) as job_minutes
    from ci_runs
)

select * from final

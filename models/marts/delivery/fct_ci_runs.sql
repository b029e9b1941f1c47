-- One row per GitHub Actions workflow run with its attempts (from the jobs of every
-- attempt), outcome, flakiness and durations in minutes, owned by the team of its repo.
--
-- INCREMENTAL BY CHANGE (volume: every push runs CI). int_delivery__ci_runs stamps each run
-- with the newest load among what its row reads (the run, its jobs, the other runs of its
-- workflow and commit) and rebuilds the creation weeks holding a run loaded after what it had
-- read; a scheduled `breadcrumbs run` then rebuilds here the weeks holding a run loaded since
-- the last green build (macros/loaded_after_built.sql), so a run that completes, is re-run or
-- lands late is rebuilt whatever its age, with the runs its flakiness touches. Without a
-- green build to start from (the demo, a plain `dbt build`) every week is rebuilt. The mart
-- carries no load stamp: its values depend on the data, not on when it landed. Whole weeks:
-- on Spark they are the partitions insert_overwrite replaces; replaced by workflow_run_id
-- (incremental_config: delete+insert on DuckDB and PostgreSQL). A change of ownership
-- (services.csv, repos.csv) needs `breadcrumbs run --full-refresh`.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key='workflow_run_id', partition_by='created_week')
) }}

with

ci_runs as (
    select * from {{ ref('int_delivery__ci_runs') }}
    {% if is_incremental() %}
        where created_week in (
            select created_week from {{ ref('int_delivery__ci_runs') }}
            where {{ loaded_since_last_green_build('loaded_at') }}
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
        cast(created_week as date) as created_week,
        cast(duration_minutes as double precision) as duration_minutes,
        cast(last_attempt_duration_minutes as double precision) as last_attempt_duration_minutes,
        cast(job_minutes as double precision) as job_minutes
    from ci_runs
)

select * from final

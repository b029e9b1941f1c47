-- One row per CI job of every attempt of a workflow run: the detail under fct_ci_runs that
-- shows which job failed and then passed on a re-run (the flaky one) and where CI time goes.
-- The rules are int_delivery__ci_jobs'; this adds the owning service and team.
--
-- INCREMENTAL BY CHANGE, like fct_ci_runs: a scheduled run rebuilds the jobs of the runs created
-- in the weeks holding a job of int_delivery__ci_jobs loaded since the last green build
-- (macros/loaded_after_built.sql; every week without one), replaced by workflow_job_id; on
-- Spark the weeks are the partitions insert_overwrite replaces. No load stamp here.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key='workflow_job_id', partition_by='run_created_week')
) }}
{{ incremental_requires(['run_created_week']) }}

with

ci_jobs as (
    select * from {{ ref('int_delivery__ci_jobs') }}
    {% if is_incremental() %}
        where
            run_created_week is null
            or run_created_week in (
                select run_created_week from {{ ref('int_delivery__ci_jobs') }}
                where {{ loaded_since_last_green_build('loaded_at') }}
            )
    {% endif %}
),

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
),

final as (
    select
        cast(ci_jobs.workflow_job_id as bigint) as workflow_job_id,
        cast(ci_jobs.workflow_run_id as bigint) as workflow_run_id,
        cast(ci_jobs.repo_full_name as varchar) as repo_full_name,
        cast(repo_services.service_id as varchar) as service_id,
        cast(repo_services.team_id as varchar) as team_id,
        cast(ci_jobs.job_name as varchar) as job_name,
        cast(ci_jobs.run_attempt as integer) as run_attempt,
        cast(ci_jobs.status as varchar) as status,
        cast(ci_jobs.conclusion as varchar) as conclusion,
        cast(ci_jobs.is_success as boolean) as is_success,
        cast(ci_jobs.is_failed_then_passed as boolean) as is_failed_then_passed,
        cast(ci_jobs.started_at as timestamp) as started_at,
        cast(ci_jobs.completed_at as timestamp) as completed_at,
        cast(ci_jobs.duration_minutes as double precision) as duration_minutes,
        cast(ci_jobs.run_created_week as date) as run_created_week
    from ci_jobs
    left join repo_services
        on ci_jobs.repo_full_name = repo_services.repo_full_name
)

select * from final

-- One row per CI job of every attempt of a workflow run, with the attempt it ran in and whether
-- it failed and then passed on a later attempt of the same run (the flaky job): the rules under
-- fct_ci_jobs.
--
-- INCREMENTAL BY CHANGE, like int_delivery__ci_runs: `loaded_at` is the newest dlt load among
-- the jobs of the job's run (what the row reads); a scheduled run rebuilds the jobs of the runs
-- created in the weeks holding a job loaded after the table's newest
-- (macros/loaded_after_built.sql), and the jobs whose run is not landed (no week). The weeks
-- are found from the jobs landed since, and the stamps computed over the batch's jobs only.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key='workflow_job_id', partition_by='run_created_week')
) }}
{{ incremental_requires(['loaded_at']) }}

with

-- a job without `run_attempt` (optional in GitHub's description) ran in attempt 1
workflow_jobs as (
    select
        workflow_job_id,
        workflow_run_id,
        repo_full_name,
        job_name,
        coalesce(run_attempt, 1) as run_attempt,
        status,
        conclusion,
        started_at,
        completed_at,
        loaded_at
    from {{ ref('stg_ci__workflow_jobs') }}
),

run_weeks as (
    select
        workflow_run_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as run_created_week
    from {{ ref('stg_ci__workflow_runs') }}
),

{% if is_incremental() %}
-- the creation weeks of the runs a job of which landed after the table's newest load
landed_weeks as (
    select distinct run_weeks.run_created_week
    from {{ ref('stg_ci__workflow_jobs') }} as landed_jobs
    inner join run_weeks
        on landed_jobs.workflow_run_id = run_weeks.workflow_run_id
    where {{ loaded_after_built('landed_jobs.loaded_at', load_id='landed_jobs.load_id') }}
),
{% endif %}

-- what a job's row reads: the jobs of its run, all of which share its run's week
batch_jobs as (
    select
        workflow_jobs.*,
        run_weeks.run_created_week,
        max(workflow_jobs.loaded_at) over (partition by workflow_jobs.workflow_run_id) as row_loaded_at
    from workflow_jobs
    left join run_weeks
        on workflow_jobs.workflow_run_id = run_weeks.workflow_run_id
    {% if is_incremental() %}
        where
            run_weeks.run_created_week is null
            or run_weeks.run_created_week in (select run_created_week from landed_weeks)
    {% endif %}
),

job_outcomes as (
    select
        workflow_run_id,
        job_name,
        max(case when conclusion = 'success' then run_attempt end) as last_passed_attempt
    from batch_jobs
    group by workflow_run_id, job_name
),

final as (
    select
        workflow_jobs.workflow_job_id,
        workflow_jobs.workflow_run_id,
        workflow_jobs.repo_full_name,
        workflow_jobs.job_name,
        workflow_jobs.run_attempt,
        workflow_jobs.status,
        workflow_jobs.conclusion,
        coalesce(workflow_jobs.conclusion = 'success', false) as is_success,
        coalesce(
            workflow_jobs.conclusion in ('failure', 'timed_out')
            and job_outcomes.last_passed_attempt > workflow_jobs.run_attempt,
            false
        ) as is_failed_then_passed,
        workflow_jobs.started_at,
        workflow_jobs.completed_at,
        {{ delivery_exact_minutes('workflow_jobs.started_at', 'workflow_jobs.completed_at') }} as duration_minutes,
        workflow_jobs.run_created_week,
        workflow_jobs.row_loaded_at as loaded_at
    from batch_jobs as workflow_jobs
    left join job_outcomes
        on
            workflow_jobs.workflow_run_id = job_outcomes.workflow_run_id
            and workflow_jobs.job_name = job_outcomes.job_name
)

select * from final

-- One row per CI job of every attempt of a workflow run, with the attempt it ran in and whether
-- it failed and then passed on a later attempt of the same run (the flaky job): the rules under
-- fct_ci_jobs.
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
        completed_at
    from {{ ref('stg_ci__workflow_jobs') }}
),

job_outcomes as (
    select
        workflow_run_id,
        job_name,
        max(case when conclusion = 'success' then run_attempt end) as last_passed_attempt
    from workflow_jobs
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
        {{ delivery_exact_minutes('workflow_jobs.started_at', 'workflow_jobs.completed_at') }} as duration_minutes
    from workflow_jobs
    left join job_outcomes
        on
            workflow_jobs.workflow_run_id = job_outcomes.workflow_run_id
            and workflow_jobs.job_name = job_outcomes.job_name
)

select * from final

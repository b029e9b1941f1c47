-- One row per CI job of every attempt of a workflow run: the detail under fct_ci_runs that
-- shows which job failed and then passed on a re-run (the flaky one) and where CI time goes.
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

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
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
        cast(workflow_jobs.workflow_job_id as bigint) as workflow_job_id,
        cast(workflow_jobs.workflow_run_id as bigint) as workflow_run_id,
        cast(workflow_jobs.repo_full_name as varchar) as repo_full_name,
        cast(repo_services.service_id as varchar) as service_id,
        cast(repo_services.team_id as varchar) as team_id,
        cast(workflow_jobs.job_name as varchar) as job_name,
        cast(workflow_jobs.run_attempt as integer) as run_attempt,
        cast(workflow_jobs.status as varchar) as status,
        cast(workflow_jobs.conclusion as varchar) as conclusion,
        cast(coalesce(workflow_jobs.conclusion = 'success', false) as boolean) as is_success,
        cast(
            coalesce(
                workflow_jobs.conclusion in ('failure', 'timed_out')
                and job_outcomes.last_passed_attempt > workflow_jobs.run_attempt,
                false
            ) as boolean
        ) as is_failed_then_passed,
        cast(workflow_jobs.started_at as timestamp) as started_at,
        cast(workflow_jobs.completed_at as timestamp) as completed_at,
        cast(
            {{ delivery_exact_minutes('workflow_jobs.started_at', 'workflow_jobs.completed_at') }} as double precision
        ) as duration_minutes
    from workflow_jobs
    left join repo_services
        on workflow_jobs.repo_full_name = repo_services.repo_full_name
    left join job_outcomes
        on
            workflow_jobs.workflow_run_id = job_outcomes.workflow_run_id
            and workflow_jobs.job_name = job_outcomes.job_name
)

select * from final

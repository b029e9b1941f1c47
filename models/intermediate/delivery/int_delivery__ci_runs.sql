-- One row per GitHub Actions workflow run with the attempts seen in its jobs, whether it
-- was flaky, and its durations. Flaky: the run succeeded in the end but needed a re-run of
-- the same commit - its final attempt is > 1, a job failed in an earlier attempt and
-- passed in a later one, or an earlier run of the same workflow on the same commit failed.
--
-- INCREMENTAL BY CHANGE (every push runs CI). `loaded_at` is the newest dlt load among what
-- the row reads: the run, its jobs and the other runs of the same workflow and commit. A
-- scheduled run rebuilds the creation weeks holding a row loaded after the table's newest
-- (macros/loaded_after_built.sql), whatever their age: the CI source lands a run again when
-- it completes or is re-run, so it is rebuilt, and so is every run of its commit. Whole
-- weeks: on Spark they are the partitions insert_overwrite replaces. The weeks are found from
-- the runs and jobs landed since (and the runs of their commits), and the stamps computed over
-- the runs of the batch's commits only, so the run reads the history's runs and jobs once
-- each instead of stamping every run.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key='workflow_run_id', partition_by='created_week')
) }}
{{ incremental_requires(['loaded_at']) }}

with

-- `run_attempt` is optional in GitHub's description: runs from before re-runs existed carry
-- none, and such a run was never re-run, so it is attempt 1 (docs/sources/ci.md)
workflow_runs as (
    select
        workflow_run_id,
        repo_full_name,
        workflow_id,
        workflow_name,
        coalesce(run_attempt, 1) as run_attempt,
        event,
        status,
        conclusion,
        head_sha,
        created_at,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as created_week,
        run_started_at,
        updated_at,
        loaded_at
    from {{ ref('stg_ci__workflow_runs') }}
),

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
),

{% if is_incremental() %}
-- the runs whose own row or a job of which landed after the table's newest load
landed_runs as (
    select workflow_run_id from {{ ref('stg_ci__workflow_runs') }}
    where {{ loaded_after_built('loaded_at', load_id='load_id') }}
    union
    select workflow_run_id from {{ ref('stg_ci__workflow_jobs') }}
    where {{ loaded_after_built('loaded_at', load_id='load_id') }}
),

landed as (
    select
        workflow_runs.repo_full_name,
        workflow_runs.workflow_id,
        workflow_runs.head_sha,
        workflow_runs.created_week
    from workflow_runs
    inner join landed_runs
        on workflow_runs.workflow_run_id = landed_runs.workflow_run_id
),

-- the weeks holding a run whose row reads such a load: the landed runs and every run of the
-- same workflow and commit
batch_weeks as (
    select created_week from landed
    union
    select workflow_runs.created_week
    from workflow_runs
    inner join landed
        on
            workflow_runs.repo_full_name = landed.repo_full_name
            and workflow_runs.workflow_id = landed.workflow_id
            and workflow_runs.head_sha = landed.head_sha
),

scope_runs as (
    select * from workflow_runs
    where created_week in (select created_week from batch_weeks)
),

scope_keys as (
    select distinct
        repo_full_name,
        workflow_id,
        head_sha
    from scope_runs
    where head_sha is not null
),

-- the runs whose loads the scope's rows read: every run of their workflows and commits
stamp_runs as (
    select workflow_runs.*
    from workflow_runs
    inner join scope_keys
        on
            workflow_runs.repo_full_name = scope_keys.repo_full_name
            and workflow_runs.workflow_id = scope_keys.workflow_id
            and workflow_runs.head_sha = scope_keys.head_sha
    union all
    select * from scope_runs
    where head_sha is null
),
{% else %}
    scope_runs as (
        select * from workflow_runs
    ),

    stamp_runs as (
        select * from workflow_runs
    ),
{% endif %}

-- the jobs of those runs (every job in a full build)
workflow_jobs as (
    select
        workflow_run_id,
        job_name,
        coalesce(run_attempt, 1) as run_attempt,
        conclusion,
        started_at,
        completed_at,
        loaded_at
    from {{ ref('stg_ci__workflow_jobs') }}
    {% if is_incremental() %}
        where workflow_run_id in (select workflow_run_id from stamp_runs)
    {% endif %}
),

job_loads as (
    select
        workflow_run_id,
        max(loaded_at) as loaded_at
    from workflow_jobs
    group by workflow_run_id
),

run_loads as (
    select
        stamp_runs.workflow_run_id,
        stamp_runs.repo_full_name,
        stamp_runs.workflow_id,
        stamp_runs.head_sha,
        greatest(stamp_runs.loaded_at, job_loads.loaded_at) as own_loaded_at
    from stamp_runs
    left join job_loads
        on stamp_runs.workflow_run_id = job_loads.workflow_run_id
),

-- what a run's row reads: itself, its jobs, and the runs of the same workflow and commit
row_loads as (
    select
        workflow_run_id,
        case
            when head_sha is null then own_loaded_at
            else max(own_loaded_at) over (partition by repo_full_name, workflow_id, head_sha)
        end as loaded_at
    from run_loads
),

batch_runs as (
    select
        scope_runs.*,
        row_loads.loaded_at as row_loaded_at
    from scope_runs
    inner join row_loads
        on scope_runs.workflow_run_id = row_loads.workflow_run_id
),

batch_jobs as (
    select workflow_jobs.*
    from workflow_jobs
    {% if is_incremental() %}
        where workflow_jobs.workflow_run_id in (select workflow_run_id from batch_runs)
    {% endif %}
),

job_outcomes as (
    select
        workflow_run_id,
        job_name,
        min(case when conclusion in ('failure', 'timed_out') then run_attempt end) as first_failed_attempt,
        max(case when conclusion = 'success' then run_attempt end) as last_passed_attempt
    from batch_jobs
    group by workflow_run_id, job_name
),

job_flakiness as (
    select
        workflow_run_id,
        max(case when first_failed_attempt < last_passed_attempt then 1 else 0 end) as has_flaky_job
    from job_outcomes
    group by workflow_run_id
),

job_totals as (
    select
        workflow_run_id,
        count(*) as job_count,
        count(distinct run_attempt) as attempt_count,
        sum(case when conclusion in ('failure', 'timed_out') then 1 else 0 end) as failed_job_count,
        sum({{ dbt.datediff('started_at', 'completed_at', 'second') }}) as job_seconds
    from batch_jobs
    group by workflow_run_id
),

-- stamp_runs holds every run of the batch's workflows and commits
earlier_failures as (
    select distinct later_runs.workflow_run_id
    from batch_runs as later_runs
    inner join stamp_runs as earlier_runs
        on
            later_runs.repo_full_name = earlier_runs.repo_full_name
            and later_runs.workflow_id = earlier_runs.workflow_id
            and later_runs.head_sha = earlier_runs.head_sha
            and later_runs.created_at > earlier_runs.created_at
    where earlier_runs.conclusion in ('failure', 'timed_out')
),

final as (
    select
        workflow_runs.workflow_run_id,
        workflow_runs.repo_full_name,
        repo_services.service_id,
        repo_services.team_id,
        workflow_runs.workflow_id,
        workflow_runs.workflow_name,
        workflow_runs.event as trigger_event,
        workflow_runs.head_sha,
        workflow_runs.status,
        workflow_runs.conclusion,
        coalesce(workflow_runs.status = 'completed', false) as is_completed,
        coalesce(workflow_runs.conclusion = 'success', false) as is_success,
        workflow_runs.run_attempt,
        cast(greatest(coalesce(job_totals.attempt_count, 1), workflow_runs.run_attempt) as integer) as attempt_count,
        cast(coalesce(job_totals.job_count, 0) as integer) as job_count,
        cast(coalesce(job_totals.failed_job_count, 0) as integer) as failed_job_count,
        coalesce(
            workflow_runs.conclusion = 'success'
            and (
                workflow_runs.run_attempt > 1
                or job_flakiness.has_flaky_job = 1
                or earlier_failures.workflow_run_id is not null
            ),
            false
        ) as is_flaky,
        workflow_runs.created_at,
        workflow_runs.run_started_at,
        case when workflow_runs.status = 'completed' then workflow_runs.updated_at end as completed_at,
        case
            when workflow_runs.status = 'completed'
                then {{ delivery_exact_minutes('workflow_runs.created_at', 'workflow_runs.updated_at') }}
        end as duration_minutes,
        case
            when workflow_runs.status = 'completed'
                then {{ delivery_exact_minutes('workflow_runs.run_started_at', 'workflow_runs.updated_at') }}
        end as last_attempt_duration_minutes,
        cast(job_totals.job_seconds as double precision) / 60 as job_minutes,
        workflow_runs.created_week,
        workflow_runs.row_loaded_at as loaded_at
    from batch_runs as workflow_runs
    left join repo_services
        on workflow_runs.repo_full_name = repo_services.repo_full_name
    left join job_flakiness
        on workflow_runs.workflow_run_id = job_flakiness.workflow_run_id
    left join job_totals
        on workflow_runs.workflow_run_id = job_totals.workflow_run_id
    left join earlier_failures
        on workflow_runs.workflow_run_id = earlier_failures.workflow_run_id
)

select * from final

-- One row per deployment (every environment and outcome) with its service, team, outcome
-- (latest status other than `inactive`), start and finish, and its previous successful
-- deployment of the same service, repo and environment (delivery_previous_success_deployments).
-- Source: GitHub deployments + statuses; repos without any production GitHub deployment can
-- fall back to releases or deploy workflow runs (var `delivery_deployment_fallback`); both
-- are always dependencies, so switching the var needs no re-parse of the DAG:
-- depends_on: {{ ref('stg_github__releases') }}
-- depends_on: {{ ref('stg_ci__workflow_runs') }}
{%- set fallback = var('delivery_deployment_fallback', 'none') %}
{%- set production_environments = var('delivery_production_environments', ['production', 'prod']) %}
{%- set production_list = "'" ~ production_environments | join("', '") ~ "'" %}
{%- set deploy_workflow_list = "'" ~ var('delivery_deploy_workflows', ['deploy']) | join("', '") ~ "'" %}
{%- set hotfix_pattern = var('delivery_hotfix_pattern', 'hotfix%') %}
with

deployments as (
    select * from {{ ref('stg_github__deployments') }}
),

deployment_statuses as (
    select * from {{ ref('stg_github__deployment_statuses') }}
),

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
),

{%- if fallback == 'releases' %}

releases as (
    select * from {{ ref('stg_github__releases') }}
),
{%- elif fallback == 'ci_runs' %}

workflow_runs as (
    select * from {{ ref('stg_ci__workflow_runs') }}
),
{%- endif %}

ranked_statuses as (
    select
        deployment_id,
        state,
        created_at,
        row_number() over (
            partition by deployment_id
            order by created_at desc, deployment_status_id desc
        ) as status_rank
    from deployment_statuses
    where state <> 'inactive'
),

latest_statuses as (
    select
        deployment_id,
        state,
        created_at
    from ranked_statuses
    where status_rank = 1
),

github_deployments as (
    select
        cast(deployments.deployment_id as {{ dbt.type_string() }}) as deployment_id,
        'github_deployment' as deployment_source,
        deployments.repo_full_name,
        deployments.commit_sha,
        lower(deployments.environment) as environment,
        coalesce(
            deployments.is_production_environment
            or lower(deployments.environment) in ({{ production_list }}),
            false
        ) as is_production,
        coalesce(latest_statuses.state, 'pending') as deployment_status,
        deployments.description,
        deployments.created_at as started_at,
        case
            when latest_statuses.state in ('success', 'failure', 'error') then latest_statuses.created_at
        end as finished_at
    from deployments
    left join latest_statuses
        on deployments.deployment_id = latest_statuses.deployment_id
),

{%- if fallback in ('releases', 'ci_runs') %}

repos_with_deployments as (
    select distinct repo_full_name
    from github_deployments
    where is_production
),
{%- endif %}

{%- if fallback == 'releases' %}

fallback_deployments as (
    select
        {{ dbt.concat(["'release-'", "cast(releases.release_id as " ~ dbt.type_string() ~ ")"]) }} as deployment_id,
        'release' as deployment_source,
        releases.repo_full_name,
        releases.target_commitish as commit_sha,
        'production' as environment,
        true as is_production,
        'success' as deployment_status,
        coalesce(releases.release_name, releases.tag_name) as description,
        releases.created_at as started_at,
        releases.published_at as finished_at
    from releases
    where
        not coalesce(releases.is_draft, false)
        and not coalesce(releases.is_prerelease, false)
        and releases.published_at is not null
        and releases.repo_full_name not in (
            select repos_with_deployments.repo_full_name from repos_with_deployments
        )
),
{%- elif fallback == 'ci_runs' %}

fallback_deployments as (
    select
        {{ dbt.concat(["'run-'", "cast(workflow_runs.workflow_run_id as " ~ dbt.type_string() ~ ")"]) }} as deployment_id,
        'ci_run' as deployment_source,
        workflow_runs.repo_full_name,
        workflow_runs.head_sha as commit_sha,
        'production' as environment,
        true as is_production,
        case when workflow_runs.conclusion = 'success' then 'success' else 'failure' end as deployment_status,
        workflow_runs.workflow_name as description,
        coalesce(workflow_runs.run_started_at, workflow_runs.created_at) as started_at,
        workflow_runs.updated_at as finished_at
    from workflow_runs
    where
        workflow_runs.status = 'completed'
        and lower(workflow_runs.workflow_name) in ({{ deploy_workflow_list }})
        and workflow_runs.repo_full_name not in (
            select repos_with_deployments.repo_full_name from repos_with_deployments
        )
),
{%- endif %}

all_deployments as (
    select * from github_deployments
    {%- if fallback in ('releases', 'ci_runs') %}
    union all
    select * from fallback_deployments
    {%- endif %}
),

with_services as (
    select
        all_deployments.deployment_id,
        all_deployments.deployment_source,
        all_deployments.repo_full_name,
        repo_services.service_id,
        repo_services.team_id,
        all_deployments.commit_sha,
        all_deployments.environment,
        all_deployments.is_production,
        all_deployments.deployment_status,
        all_deployments.deployment_status = 'success' as is_successful,
        coalesce(lower(all_deployments.description) like '{{ hotfix_pattern }}', false) as is_hotfix,
        all_deployments.started_at,
        all_deployments.finished_at
    from all_deployments
    left join repo_services
        on all_deployments.repo_full_name = repo_services.repo_full_name
),

previous_success as (
    {{ delivery_previous_success_deployments('with_services', ['service_id', 'repo_full_name', 'environment']) }}
),

final as (
    select
        with_services.deployment_id,
        with_services.deployment_source,
        with_services.repo_full_name,
        with_services.service_id,
        with_services.team_id,
        with_services.commit_sha,
        with_services.environment,
        with_services.is_production,
        with_services.deployment_status,
        with_services.is_successful,
        with_services.is_hotfix,
        with_services.started_at,
        with_services.finished_at,
        previous_success.previous_success_deployment_id,
        previous_deployments.commit_sha as previous_success_commit_sha,
        previous_deployments.finished_at as previous_success_finished_at
    from with_services
    left join previous_success
        on with_services.deployment_id = previous_success.deployment_id
    left join with_services as previous_deployments
        on previous_success.previous_success_deployment_id = previous_deployments.deployment_id
)

select * from final

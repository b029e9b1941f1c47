-- One row per production deployment per service: outcome, previous successful deployment,
-- change set, linked incidents, and whether it failed (caused an incident or needed an
-- unplanned fix) or was itself rework (the unplanned fix).
with

deployments as (
    select * from {{ ref('int_delivery__deployment_outcomes') }}
),

final as (
    select
        cast(deployment_id as varchar) as deployment_id,
        cast(deployment_source as varchar) as deployment_source,
        cast(repo_full_name as varchar) as repo_full_name,
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(environment as varchar) as environment,
        cast(commit_sha as varchar) as commit_sha,
        cast(deployment_status as varchar) as deployment_status,
        cast(is_successful as boolean) as is_successful,
        cast(started_at as timestamp) as started_at,
        cast(finished_at as timestamp) as finished_at,
        cast({{ dbt.date_trunc('week', 'finished_at') }} as date) as finished_week,
        cast(previous_success_deployment_id as varchar) as previous_success_deployment_id,
        cast(previous_success_commit_sha as varchar) as previous_success_commit_sha,
        cast(change_commit_count as integer) as change_commit_count,
        cast(pull_request_count as integer) as pull_request_count,
        cast(is_hotfix as boolean) as is_hotfix,
        cast(ships_revert as boolean) as ships_revert,
        cast(is_unplanned as boolean) as is_unplanned,
        cast(linked_incident_count as integer) as linked_incident_count,
        cast(first_incident_at as timestamp) as first_incident_at,
        cast(fixed_by_deployment_id as varchar) as fixed_by_deployment_id,
        cast(is_failed as boolean) as is_failed,
        cast(failure_cause as varchar) as failure_cause,
        cast(is_rework as boolean) as is_rework,
        cast(recovered_at as timestamp) as recovered_at,
        cast({{ delivery_span_minutes('finished_at', 'recovered_at') }} as bigint) as recovery_minutes
    from deployments
)

select * from final

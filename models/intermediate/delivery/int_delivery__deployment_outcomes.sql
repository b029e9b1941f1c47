-- One row per production deployment with what it shipped (commits, pull requests), the
-- incidents linked to it and its outcome as a change:
-- - unplanned: a `hotfix` deployment (var `delivery_hotfix_pattern`), one shipping a revert PR,
--   or a rollback (an empty change set to a commit other than the previous deployment's: a
--   commit already shipped);
-- - failed (DORA 2024, it needed remediation): a successful deployment whose next successful
--   deployment of the same service and environment was unplanned (a rollback, revert or hotfix
--   fixed it), or that caused an incident: an incident of its service that counts as its
--   failure under the var `delivery_failure_rule` (int_delivery__incident_deployments; by
--   default one started within `delivery_failure_window_hours` after it whose cause was not
--   already under way; `devlake`: any incident started after it and before the next one);
-- - rework: an unplanned successful deployment made after a previous one (the fix);
-- - recovery: from the failed deployment's finish to the resolution of its last incident,
--   or, without incidents, to the finish of the deployment that fixed it.
-- Deployments that did not finish successfully shipped nothing: is_failed and is_rework
-- are null for them.
with

deployments as (
    select * from {{ ref('int_delivery__deployments') }}
),

deployment_commits as (
    select * from {{ ref('int_delivery__deployment_commits') }}
),

pull_requests as (
    select * from {{ ref('int_delivery__pull_requests') }}
),

incident_links as (
    select * from {{ ref('int_delivery__incident_deployments') }}
),

production as (
    select
        deployment_id,
        deployment_source,
        repo_full_name,
        service_id,
        team_id,
        commit_sha,
        environment,
        deployment_status,
        is_successful,
        is_hotfix,
        started_at,
        finished_at,
        previous_success_deployment_id,
        previous_success_commit_sha
    from deployments
    where is_production
),

change_sets as (
    select
        deployment_id,
        count(*) as change_commit_count
    from deployment_commits
    group by deployment_id
),

shipped_pull_requests as (
    select
        deployment_id,
        count(*) as pull_request_count,
        max(case when is_revert then 1 else 0 end) as ships_revert
    from pull_requests
    where deployment_id is not null
    group by deployment_id
),

linked_incidents as (
    select
        deployment_id,
        count(*) as linked_incident_count,
        min(incident_created_at) as first_incident_at,
        max(incident_resolved_at) as last_incident_resolved_at,
        sum(case when incident_resolved_at is null then 1 else 0 end) as open_incident_count
    from incident_links
    where deployment_id is not null and fails_deployment
    group by deployment_id
),

classified as (
    select
        production.deployment_id,
        production.deployment_source,
        production.repo_full_name,
        production.service_id,
        production.team_id,
        production.commit_sha,
        production.environment,
        production.deployment_status,
        production.is_successful,
        production.is_hotfix,
        production.started_at,
        production.finished_at,
        production.previous_success_deployment_id,
        production.previous_success_commit_sha,
        linked_incidents.first_incident_at,
        coalesce(change_sets.change_commit_count, 0) as change_commit_count,
        coalesce(shipped_pull_requests.pull_request_count, 0) as pull_request_count,
        coalesce(shipped_pull_requests.ships_revert, 0) = 1 as ships_revert,
        production.is_hotfix
        or coalesce(shipped_pull_requests.ships_revert, 0) = 1
        or coalesce(
            production.is_successful
            and production.previous_success_commit_sha is not null
            and production.commit_sha <> production.previous_success_commit_sha
            and coalesce(change_sets.change_commit_count, 0) = 0,
            false
        ) as is_unplanned,
        coalesce(linked_incidents.linked_incident_count, 0) as linked_incident_count,
        case
            when coalesce(linked_incidents.open_incident_count, 0) = 0
                then linked_incidents.last_incident_resolved_at
        end as incidents_resolved_at
    from production
    left join change_sets
        on production.deployment_id = change_sets.deployment_id
    left join shipped_pull_requests
        on production.deployment_id = shipped_pull_requests.deployment_id
    left join linked_incidents
        on production.deployment_id = linked_incidents.deployment_id
),

successful as (
    select
        deployment_id,
        lead(deployment_id) over (
            partition by service_id, repo_full_name, environment
            order by started_at, finished_at, deployment_id
        ) as next_success_deployment_id
    from classified
    where is_successful
),

with_next as (
    select
        classified.deployment_id,
        classified.deployment_source,
        classified.repo_full_name,
        classified.service_id,
        classified.team_id,
        classified.commit_sha,
        classified.environment,
        classified.deployment_status,
        classified.is_successful,
        classified.is_hotfix,
        classified.started_at,
        classified.finished_at,
        classified.previous_success_deployment_id,
        classified.previous_success_commit_sha,
        classified.change_commit_count,
        classified.pull_request_count,
        classified.ships_revert,
        classified.is_unplanned,
        classified.linked_incident_count,
        classified.first_incident_at,
        classified.incidents_resolved_at,
        case when next_deployments.is_unplanned then next_deployments.deployment_id end as fixed_by_deployment_id,
        case when next_deployments.is_unplanned then next_deployments.finished_at end as fixed_at
    from classified
    left join successful
        on classified.deployment_id = successful.deployment_id
    left join classified as next_deployments
        on successful.next_success_deployment_id = next_deployments.deployment_id
),

final as (
    select
        deployment_id,
        deployment_source,
        repo_full_name,
        service_id,
        team_id,
        commit_sha,
        environment,
        deployment_status,
        is_successful,
        is_hotfix,
        started_at,
        finished_at,
        previous_success_deployment_id,
        previous_success_commit_sha,
        change_commit_count,
        pull_request_count,
        ships_revert,
        is_unplanned,
        linked_incident_count,
        first_incident_at,
        fixed_by_deployment_id,
        case
            when is_successful then linked_incident_count > 0 or fixed_by_deployment_id is not null
        end as is_failed,
        case
            when not is_successful then null
            when linked_incident_count > 0 and fixed_by_deployment_id is not null then 'incident_and_fix'
            when linked_incident_count > 0 then 'incident'
            when fixed_by_deployment_id is not null then 'fix_deployment'
        end as failure_cause,
        case
            when is_successful then is_unplanned and previous_success_deployment_id is not null
        end as is_rework,
        case
            when is_successful and linked_incident_count > 0 then incidents_resolved_at
            when is_successful and fixed_by_deployment_id is not null then fixed_at
        end as recovered_at
    from with_next
)

select * from final

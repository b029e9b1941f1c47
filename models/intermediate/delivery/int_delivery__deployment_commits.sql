{{ config(materialized='table') }}
-- The change set of each successful deployment: one row per commit on the deployed branch
-- between its previous successful deployment's commit (excluded) and its own commit
-- (included), found by walking first parents (the main line: a merge commit's first
-- parent, the commit before a squash or rebased commit). A deployment with no previous
-- successful deployment has no range (DevLake's rule: what was live before is unknown). A
-- redeploy of the same commit or a rollback to an older one has an empty range. The walk
-- stops at the previous commit, at commits older than it, or after
-- var `delivery_max_range_commits` (default 5000) steps.
with recursive

deployments as (
    select * from {{ ref('int_delivery__deployments') }}
),

commits as (
    select * from {{ ref('stg_github__commits') }}
),

commit_parents as (
    select * from {{ ref('stg_github__commit_parents') }}
),

first_parents as (
    select
        commits.repo_full_name,
        commits.commit_sha,
        commit_parents.parent_sha
    from commits
    inner join commit_parents
        on
            commits.commit_row_key = commit_parents.commit_row_key
            and commit_parents.parent_position = 0
),

ranges as (
    select
        deployments.deployment_id,
        deployments.repo_full_name,
        deployments.commit_sha as head_sha,
        deployments.previous_success_commit_sha as base_sha,
        base_commits.committed_at as base_committed_at
    from deployments
    left join commits as head_commits
        on
            deployments.repo_full_name = head_commits.repo_full_name
            and deployments.commit_sha = head_commits.commit_sha
    left join commits as base_commits
        on
            deployments.repo_full_name = base_commits.repo_full_name
            and deployments.previous_success_commit_sha = base_commits.commit_sha
    where
        deployments.is_successful
        and deployments.previous_success_deployment_id is not null
        and deployments.commit_sha <> deployments.previous_success_commit_sha
        and (
            head_commits.committed_at is null
            or base_commits.committed_at is null
            or head_commits.committed_at >= base_commits.committed_at
        )
),

walk (deployment_id, repo_full_name, base_sha, base_committed_at, commit_sha, walk_depth) as (
    select
        ranges.deployment_id,
        ranges.repo_full_name,
        ranges.base_sha,
        ranges.base_committed_at,
        ranges.head_sha as commit_sha,
        1 as walk_depth
    from ranges
    union all
    select
        walk.deployment_id,
        walk.repo_full_name,
        walk.base_sha,
        walk.base_committed_at,
        first_parents.parent_sha as commit_sha,
        walk.walk_depth + 1 as walk_depth
    from walk
    inner join first_parents
        on
            walk.repo_full_name = first_parents.repo_full_name
            and walk.commit_sha = first_parents.commit_sha
    inner join commits as parent_commits
        on
            first_parents.repo_full_name = parent_commits.repo_full_name
            and first_parents.parent_sha = parent_commits.commit_sha
    where
        first_parents.parent_sha <> walk.base_sha
        and (walk.base_committed_at is null or parent_commits.committed_at >= walk.base_committed_at)
        and walk.walk_depth < {{ var('delivery_max_range_commits', 5000) }}
),

final as (
    select distinct
        deployment_id,
        repo_full_name,
        commit_sha
    from walk
)

select * from final

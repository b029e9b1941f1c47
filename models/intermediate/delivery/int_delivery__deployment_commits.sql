-- The change set of each successful deployment: one row per commit on the deployed branch
-- between its previous successful deployment's commit (excluded) and its own commit
-- (included), found by walking first parents (the main line: a merge commit's first
-- parent, the commit before a squash or rebased commit). A deployment with no previous
-- successful deployment has no range (DevLake's rule: what was live before is unknown). A
-- redeploy of the same commit or a rollback to an older one has an empty range. The walk
-- stops at the previous commit, at commits older than it, or after
-- var `delivery_max_range_commits` (default 5000) steps.
with

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

-- a recursive CTE on DuckDB and PostgreSQL, a fold over first-parent maps on Spark
range_commits as (
    {{ first_parent_walk('ranges', 'first_parents', 'commits', var('delivery_max_range_commits', 5000)) }}
),

final as (
    select
        deployment_id,
        repo_full_name,
        commit_sha
    from range_commits
)

select * from final

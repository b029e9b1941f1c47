-- One row per pull request with the timestamps of its life (first commit authored, opened,
-- first review by a non-author human, first approval, merged, deployed) and its cycle-time
-- parts in minutes, by the rules in macros/delivery_rules.sql (DevLake's, conformance-tested).
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

pull_request_commits as (
    select * from {{ ref('stg_github__pull_request_commits') }}
),

pull_request_reviews as (
    select * from {{ ref('stg_github__pull_request_reviews') }}
),

deployments as (
    select * from {{ ref('int_delivery__deployments') }}
),

deployment_commits as (
    select * from {{ ref('int_delivery__deployment_commits') }}
),

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
),

commits as (
    select
        pull_requests.pull_request_id,
        pull_request_commits.commit_sha,
        pull_request_commits.authored_at
    from pull_request_commits
    inner join pull_requests
        on
            pull_request_commits.repo_full_name = pull_requests.repo_full_name
            and pull_request_commits.pull_request_number = pull_requests.pull_request_number
),

reviews as (
    select
        pull_requests.pull_request_id,
        pull_request_reviews.pull_request_review_id as review_id,
        pull_request_reviews.reviewer_key,
        pull_request_reviews.is_bot,
        pull_request_reviews.state,
        pull_request_reviews.submitted_at
    from pull_request_reviews
    inner join pull_requests
        on
            pull_request_reviews.repo_full_name = pull_requests.repo_full_name
            and pull_request_reviews.pull_request_number = pull_requests.pull_request_number
),

merged_pull_requests as (
    select
        pull_request_id,
        repo_full_name,
        merge_commit_sha
    from pull_requests
    where merged_at is not null and merge_commit_sha is not null
),

first_commits as (
    {{ delivery_first_commits('commits') }}
),

first_reviews as (
    {{ delivery_first_review_times('pull_requests', 'reviews', [
        ('first_review_at', none),
        ('first_review_decision_at', ['APPROVED', 'CHANGES_REQUESTED']),
        ('approved_at', ['APPROVED']),
    ]) }}
),

shipped as (
    {{ delivery_pull_request_deployments('merged_pull_requests', 'deployment_commits', 'deployments') }}
),

joined as (
    select
        pull_requests.pull_request_id,
        pull_requests.repo_full_name,
        pull_requests.pull_request_number,
        repo_services.service_id,
        repo_services.team_id,
        pull_requests.state,
        pull_requests.is_bot,
        pull_requests.lines_changed,
        pull_requests.commit_count,
        pull_requests.merge_commit_sha,
        first_commits.first_commit_sha,
        first_commits.first_commit_authored_at,
        pull_requests.created_at,
        first_reviews.first_review_at,
        first_reviews.first_review_decision_at,
        first_reviews.approved_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        shipped.deployment_id,
        shipped.deployed_at,
        coalesce(pull_requests.is_draft, false) as is_draft,
        pull_requests.merged_at is not null as is_merged,
        coalesce(pull_requests.title like 'Revert "%', false) as is_revert
    from pull_requests
    left join repo_services
        on pull_requests.repo_full_name = repo_services.repo_full_name
    left join first_commits
        on pull_requests.pull_request_id = first_commits.pull_request_id
    left join first_reviews
        on pull_requests.pull_request_id = first_reviews.pull_request_id
    left join shipped
        on pull_requests.pull_request_id = shipped.pull_request_id
),

final as (
    select
        joined.pull_request_id,
        joined.repo_full_name,
        joined.pull_request_number,
        joined.service_id,
        joined.team_id,
        joined.state,
        joined.is_bot,
        joined.is_draft,
        joined.is_merged,
        joined.is_revert,
        joined.lines_changed,
        joined.commit_count,
        joined.merge_commit_sha,
        joined.first_commit_sha,
        joined.first_commit_authored_at,
        joined.created_at,
        joined.first_review_at,
        joined.first_review_decision_at,
        joined.approved_at,
        joined.merged_at,
        joined.closed_at,
        joined.deployment_id,
        joined.deployed_at,
        {{ delivery_pull_request_time_columns('joined') }},
        {{ delivery_span_minutes('joined.created_at', 'joined.first_review_decision_at') }} as first_review_minutes,
        {{ delivery_span_minutes('joined.first_commit_authored_at', 'joined.deployed_at') }} as lead_time_minutes,
        coalesce(joined.is_merged and joined.first_review_at <= joined.merged_at, false) as is_reviewed_before_merge,
        joined.is_merged
        and (joined.approved_at is null or joined.approved_at > joined.merged_at) as is_merged_without_approval
    from joined
)

select * from final

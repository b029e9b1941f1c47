-- One row per pull request: size, the timestamps of its life and its cycle-time parts
-- (DevLake's rules: minutes rounded up, negative span = null, cycle = sum of available
-- parts), owned by the team of its repo's service. No person columns.
with

pull_requests as (
    select * from {{ ref('int_delivery__pull_requests') }}
),

final as (
    select
        cast(pull_request_id as bigint) as pull_request_id,
        cast(repo_full_name as varchar) as repo_full_name,
        cast(pull_request_number as bigint) as pull_request_number,
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(state as varchar) as state,
        cast(is_bot as boolean) as is_bot_authored,
        cast(is_draft as boolean) as is_draft,
        cast(is_merged as boolean) as is_merged,
        cast(is_revert as boolean) as is_revert,
        cast(lines_changed as bigint) as lines_changed,
        cast(commit_count as bigint) as commit_count,
        cast(merge_commit_sha as varchar) as merge_commit_sha,
        cast(first_commit_sha as varchar) as first_commit_sha,
        cast(first_commit_authored_at as timestamp) as first_commit_authored_at,
        cast(created_at as timestamp) as created_at,
        cast(first_review_at as timestamp) as first_review_at,
        cast(first_review_decision_at as timestamp) as first_review_decision_at,
        cast(approved_at as timestamp) as approved_at,
        cast(merged_at as timestamp) as merged_at,
        cast(closed_at as timestamp) as closed_at,
        cast(deployment_id as varchar) as deployment_id,
        cast(deployed_at as timestamp) as deployed_at,
        cast(coding_minutes as bigint) as coding_minutes,
        cast(pickup_minutes as bigint) as pickup_minutes,
        cast(review_minutes as bigint) as review_minutes,
        cast(deploy_minutes as bigint) as deploy_minutes,
        cast(cycle_minutes as bigint) as cycle_minutes,
        cast(first_review_minutes as bigint) as first_review_minutes,
        cast(lead_time_minutes as bigint) as lead_time_minutes,
        cast(is_reviewed_before_merge as boolean) as is_reviewed_before_merge,
        cast(is_merged_without_approval as boolean) as is_merged_without_approval,
        cast({{ dbt.date_trunc('week', 'merged_at') }} as date) as merged_week,
        cast({{ dbt.date_trunc('week', 'deployed_at') }} as date) as deployed_week
    from pull_requests
)

select * from final

-- One row per GitHub issue (pull requests excluded): features, bugs and customer-reported bugs,
-- with the milestone they were planned into, whether they closed on time, and for features the
-- first release that shipped them (int_work_items__first_releases).
with

issues as (
    select * from {{ ref('int_work_items__issues') }}
),

first_releases as (
    select * from {{ ref('int_work_items__first_releases') }}
),

final as (
    select
        cast(issues.issue_id as bigint) as issue_id,
        cast(issues.repo_full_name as varchar) as repo_full_name,
        cast(issues.issue_number as bigint) as issue_number,
        cast(
            {{ dbt.concat(["issues.repo_full_name", "'#'", "cast(issues.issue_number as varchar)"]) }}
            as varchar
        ) as work_item_id,
        cast(issues.service_id as varchar) as service_id,
        cast(issues.team_id as varchar) as team_id,
        cast(case
            when issues.is_feature then 'feature'
            when issues.is_customer_reported then 'customer_bug'
            when issues.is_bug then 'bug'
            else 'other'
        end as varchar) as work_item_type,
        cast(issues.is_feature as boolean) as is_feature,
        cast(issues.is_bug as boolean) as is_bug,
        cast(issues.is_customer_reported as boolean) as is_customer_reported,
        cast(issues.state as varchar) as state,
        cast(issues.state_reason as varchar) as state_reason,
        cast(issues.milestone_number as bigint) as milestone_number,
        cast(issues.milestone_title as varchar) as milestone_title,
        cast(issues.due_on as timestamp) as due_on,
        cast(issues.created_at as timestamp) as created_at,
        cast(issues.closed_at as timestamp) as closed_at,
        cast(
            issues.due_on is not null
            and issues.closed_at is not null
            and issues.closed_at <= issues.due_on
            and coalesce(issues.state_reason, 'completed') <> 'not_planned'
            as boolean
        ) as is_closed_on_time,
        cast(issues.closing_pull_request_id as bigint) as closing_pull_request_id,
        cast(issues.closing_merged_at as timestamp) as closing_merged_at,
        cast(first_releases.release_id as bigint) as release_id,
        cast(first_releases.published_at as timestamp) as released_at,
        cast(first_releases.minutes_to_release / 1440.0 as double precision) as time_to_market_days
    from issues
    left join first_releases on issues.issue_id = first_releases.issue_id
)

select * from final

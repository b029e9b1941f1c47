-- Issues with their kind (feature, bug), milestone due date, owning service and team, and the
-- first merged pull request that closes them.
-- Kind precedence (docs/sources/github.md): GitHub's native issue type decides when the issue
-- has one (`Feature` → feature, `Bug` → bug, any other type such as `Task` → neither); only
-- an issue without a type falls back to its labels (`feature`, `bug`). `customer-reported`
-- has no native type and always comes from its label.
with

issues as (
    select * from {{ ref('stg_github__issues') }}
),

labels as (
    select * from {{ ref('stg_github__issue_labels') }}
),

milestones as (
    select * from {{ ref('stg_github__milestones') }}
),

repo_services as (
    select * from {{ ref('int_delivery__repo_services') }}
),

closing_references as (
    select * from {{ ref('int_work_items__closing_references') }}
),

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

label_flags as (
    select
        issue_row_key,
        max(case when lower(label_name) = 'feature' then 1 else 0 end) = 1 as is_feature,
        max(case when lower(label_name) = 'bug' then 1 else 0 end) = 1 as is_bug,
        max(case when lower(label_name) = 'customer-reported' then 1 else 0 end)
        = 1 as is_customer_labelled
    from labels
    group by issue_row_key
),

repo_owner as (
    select
        repo_full_name,
        service_id,
        team_id,
        row_number() over (partition by repo_full_name order by service_id) as owner_rank
    from repo_services
),

closing_merges as (
    select
        closing_references.repo_full_name,
        closing_references.issue_number,
        pull_requests.pull_request_id,
        pull_requests.merged_at,
        row_number() over (
            partition by closing_references.repo_full_name, closing_references.issue_number
            order by pull_requests.merged_at, pull_requests.pull_request_id
        ) as merge_rank
    from closing_references
    inner join pull_requests
        on closing_references.pull_request_id = pull_requests.pull_request_id
    where pull_requests.merged_at is not null
),

final as (
    select
        issues.issue_id,
        issues.repo_full_name,
        issues.issue_number,
        repo_owner.service_id,
        repo_owner.team_id,
        issues.title,
        issues.state,
        issues.state_reason,
        issues.issue_type_name,
        case
            when issues.issue_type_name is not null then 'type'
            when label_flags.is_feature or label_flags.is_bug then 'label'
        end as kind_source,
        case
            when issues.issue_type_name is not null then lower(issues.issue_type_name) = 'feature'
            else coalesce(label_flags.is_feature, false)
        end as is_feature,
        case
            when issues.issue_type_name is not null then lower(issues.issue_type_name) = 'bug'
            else coalesce(label_flags.is_bug, false)
        end as is_bug,
        coalesce(
            case
                when issues.issue_type_name is not null then lower(issues.issue_type_name) = 'bug'
                else label_flags.is_bug
            end
            and label_flags.is_customer_labelled,
            false
        ) as is_customer_reported,
        issues.milestone_number,
        milestones.title as milestone_title,
        milestones.due_on,
        issues.created_at,
        issues.closed_at,
        closing_merges.pull_request_id as closing_pull_request_id,
        closing_merges.merged_at as closing_merged_at
    from issues
    left join label_flags on issues.issue_row_key = label_flags.issue_row_key
    left join milestones
        on
            issues.repo_full_name = milestones.repo_full_name
            and issues.milestone_number = milestones.milestone_number
    left join repo_owner
        on issues.repo_full_name = repo_owner.repo_full_name and repo_owner.owner_rank = 1
    left join closing_merges
        on
            issues.repo_full_name = closing_merges.repo_full_name
            and issues.issue_number = closing_merges.issue_number
            and closing_merges.merge_rank = 1
)

select * from final

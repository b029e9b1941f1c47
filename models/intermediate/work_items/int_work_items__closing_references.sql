-- Issues each pull request closes: GitHub's closing keywords in the PR body (`Closes #17`,
-- `fixes #17`, ...), same-repo references only; one row per PR and issue number.
with

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

references_found as (
    select
        pull_request_id,
        repo_full_name,
        {{ closing_issue_numbers('body') }} as issue_number_text
    from pull_requests
    where body is not null
),

final as (
    select distinct
        pull_request_id,
        repo_full_name,
        cast(issue_number_text as bigint) as issue_number
    from references_found
)

select * from final

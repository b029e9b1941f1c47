-- The first published release that shipped each issue closed by a merged pull request: a
-- release contains the pull request when it was published after the merge (releases are cut
-- from the default branch); drafts and pre-releases do not ship. One row per shipped issue.
with

issues as (
    select * from {{ ref('int_work_items__issues') }}
),

releases as (
    select * from {{ ref('stg_github__releases') }}
    where not coalesce(is_draft, false) and not coalesce(is_prerelease, false)
),

shipped as (
    select
        issues.issue_id,
        releases.release_id,
        releases.published_at,
        {{ delivery_exact_minutes('issues.created_at', 'releases.published_at') }} as minutes_to_release,
        row_number() over (
            partition by issues.issue_id order by releases.published_at, releases.release_id
        ) as release_rank
    from issues
    inner join releases
        on
            issues.repo_full_name = releases.repo_full_name
            and issues.closing_merged_at < releases.published_at
),

final as (
    select
        issue_id,
        release_id,
        published_at,
        minutes_to_release
    from shipped
    where release_rank = 1
)

select * from final

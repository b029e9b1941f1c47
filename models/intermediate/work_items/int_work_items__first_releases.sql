-- The first published release that shipped each issue closed by a merged pull request: a
-- release contains the pull request when it was published after the merge (releases are cut
-- from the default branch); drafts and pre-releases do not ship. One row per shipped issue
-- (macros/first_release_after.sql: an as-of join on DuckDB).
with

issues as (
    select * from {{ ref('int_work_items__issues') }}
),

releases as (
    select * from {{ ref('stg_github__releases') }}
    where not coalesce(is_draft, false) and not coalesce(is_prerelease, false)
),

final as (
    {{ first_release_after('issues', 'releases') }}
)

select * from final

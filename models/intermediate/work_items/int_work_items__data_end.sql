-- The end of the GitHub issue data: the latest `updated_at` of any issue or pull request the
-- issues endpoint returned (one row), the horizon a due date must have passed to be judged.
with

issues as (
    select * from {{ ref('stg_github__issues') }}
),

final as (
    select max(updated_at) as data_end_at
    from issues
)

select * from final

with

source as (
    {{ source_or_empty('raw_github', 'pull_request_reviews') }}
),

renamed as (
    select
        id as pull_request_review_id,
        repo_full_name,
        pull_request_number,
        pull_request_url,
        state,
        {{ hash_identity('user__login') }} as reviewer_key,
        user__type as reviewer_type,
        {{ is_github_bot('user__type', 'user__login') }} as is_bot,
        commit_id as commit_sha,
        {{ to_utc_timestamp('submitted_at') }} as submitted_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as pull_request_review_row_key
    from source
)

select * from renamed

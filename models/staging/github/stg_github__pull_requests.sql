with

source as (
    {{ source_or_empty('raw_github', 'pull_requests') }}
),

renamed as (
    select
        id as pull_request_id,
        repo_full_name,
        number as pull_request_number,
        base__repo__full_name as base_repo_full_name,
        url as pull_request_url,
        state,
        title,
        body,
        draft as is_draft,
        {{ hash_identity('user__login') }} as author_key,
        user__type as author_type,
        {{ is_github_bot('user__type', 'user__login') }} as is_bot,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ to_utc_timestamp('closed_at') }} as closed_at,
        {{ to_utc_timestamp('merged_at') }} as merged_at,
        merged as is_merged,
        {{ hash_identity('merged_by__login') }} as merged_by_key,
        merged_by__type as merged_by_type,
        merge_commit_sha,
        head__ref as head_branch,
        head__sha as head_sha,
        base__ref as base_branch,
        base__sha as base_sha,
        commits as commit_count,
        additions as lines_added,
        deletions as lines_deleted,
        coalesce(additions, 0) + coalesce(deletions, 0) as lines_changed,
        changed_files as changed_file_count,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as pull_request_row_key
    from source
)

select * from renamed

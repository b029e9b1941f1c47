with

source as (
    {{ source_or_empty('raw_github', 'pull_request_commits') }}
),

renamed as (
    select
        {{ surrogate_key(['repo_full_name', 'pull_request_number', 'sha']) }} as pull_request_commit_key,
        repo_full_name,
        pull_request_number,
        sha as commit_sha,
        {{ github_commit_columns() }}
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as pull_request_commit_row_key
    from source
)

select * from renamed

with

source as (
    {{ source_or_empty('raw_github', 'commits') }}
),

renamed as (
    select
        {{ surrogate_key(['repo_full_name', 'sha']) }} as commit_key,
        repo_full_name,
        sha as commit_sha,
        {{ github_commit_columns() }}
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as commit_row_key
    from source
)

select * from renamed

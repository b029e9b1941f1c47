with

source as (
    {{ source_or_empty('raw_github', 'pull_request_commits__parents') }}
),

renamed as (
    select
        _dlt_id as pull_request_commit_parent_row_key,
        _dlt_parent_id as pull_request_commit_row_key,
        _dlt_list_idx as parent_position,
        sha as parent_sha
    from source
)

select * from renamed

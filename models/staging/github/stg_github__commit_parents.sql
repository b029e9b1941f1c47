with

source as (
    {{ source_or_empty('raw_github', 'commits__parents') }}
),

renamed as (
    select
        _dlt_id as commit_parent_row_key,
        _dlt_parent_id as commit_row_key,
        _dlt_list_idx as parent_position,
        sha as parent_sha
    from source
)

select * from renamed

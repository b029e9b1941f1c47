with

source as (
    {{ source_or_empty('raw_github', 'pull_requests__labels') }}
),

renamed as (
    select
        _dlt_id as pull_request_label_row_key,
        _dlt_parent_id as pull_request_row_key,
        _dlt_list_idx as label_position,
        id as label_id,
        name as label_name
    from source
)

select * from renamed

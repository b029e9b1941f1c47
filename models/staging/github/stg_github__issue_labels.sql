with

source as (
    {{ source_or_empty('raw_github', 'issues__labels') }}
),

renamed as (
    select
        _dlt_id as issue_label_row_key,
        _dlt_parent_id as issue_row_key,
        _dlt_list_idx as label_position,
        id as label_id,
        name as label_name
    from source
)

select * from renamed

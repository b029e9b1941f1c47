with

source as (
    {{ source_or_empty('raw_ci', 'workflow_runs__pull_requests') }}
),

renamed as (
    select
        _dlt_id as workflow_run_pull_request_row_key,
        _dlt_parent_id as workflow_run_row_key,
        _dlt_list_idx as pull_request_position,
        number as pull_request_number
    from source
)

select * from renamed

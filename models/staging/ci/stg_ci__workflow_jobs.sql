with

source as (
    {{ source_or_empty('raw_ci', 'workflow_jobs') }}
),

renamed as (
    select
        id as workflow_job_id,
        run_id as workflow_run_id,
        repo_full_name,
        run_attempt,
        name as job_name,
        head_sha,
        status,
        conclusion,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('started_at') }} as started_at,
        {{ to_utc_timestamp('completed_at') }} as completed_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as workflow_job_row_key
    from source
)

select * from renamed

with

source as (
    {{ source_or_empty('raw_ci', 'workflow_runs') }}
),

renamed as (
    select
        id as workflow_run_id,
        repo_full_name,
        workflow_id,
        name as workflow_name,
        run_number,
        run_attempt,
        event,
        status,
        conclusion,
        head_branch,
        head_sha,
        {{ hash_identity('actor__login') }} as actor_key,
        actor__type as actor_type,
        {{ is_github_bot('actor__type', 'actor__login') }} as is_bot,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('run_started_at') }} as run_started_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as workflow_run_row_key
    from source
)

select * from renamed

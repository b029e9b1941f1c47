with

source as (
    {{ source_or_empty('raw_github', 'deployment_statuses') }}
),

renamed as (
    select
        id as deployment_status_id,
        deployment_id,
        repo_full_name,
        deployment_url,
        state,
        environment,
        description,
        {{ hash_identity('creator__login') }} as creator_key,
        creator__type as creator_type,
        {{ is_github_bot('creator__type', 'creator__login') }} as is_bot,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as deployment_status_row_key
    from source
)

select * from renamed

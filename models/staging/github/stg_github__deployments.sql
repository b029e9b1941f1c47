with

source as (
    {{ source_or_empty('raw_github', 'deployments') }}
),

renamed as (
    select
        id as deployment_id,
        repo_full_name,
        url as deployment_url,
        sha as commit_sha,
        ref as git_ref,
        task,
        environment,
        production_environment as is_production_environment,
        description,
        {{ hash_identity('creator__login') }} as creator_key,
        creator__type as creator_type,
        {{ is_github_bot('creator__type', 'creator__login') }} as is_bot,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as deployment_row_key
    from source
)

select * from renamed

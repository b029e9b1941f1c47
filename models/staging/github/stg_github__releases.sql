with

source as (
    {{ source_or_empty('raw_github', 'releases') }}
),

renamed as (
    select
        id as release_id,
        repo_full_name,
        tag_name,
        target_commitish,
        name as release_name,
        draft as is_draft,
        prerelease as is_prerelease,
        {{ hash_identity('author__login') }} as author_key,
        author__type as author_type,
        {{ is_github_bot('author__type', 'author__login') }} as is_bot,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('published_at') }} as published_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as release_row_key
    from source
)

select * from renamed

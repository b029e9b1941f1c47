with

source as (
    {{ source_or_empty('raw_github', 'issues') }}
),

renamed as (
    select
        id as issue_id,
        repo_full_name,
        number as issue_number,
        url as issue_url,
        title,
        state,
        state_reason,
        type__name as issue_type_name,
        {{ hash_identity('user__login') }} as author_key,
        user__type as author_type,
        {{ is_github_bot('user__type', 'user__login') }} as is_bot,
        milestone__id as milestone_id,
        milestone__number as milestone_number,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ to_utc_timestamp('closed_at') }} as closed_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as issue_row_key
    from source
)

select * from renamed

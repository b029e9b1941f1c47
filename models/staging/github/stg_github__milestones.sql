with

source as (
    {{ source_or_empty('raw_github', 'milestones') }}
),

renamed as (
    select
        id as milestone_id,
        repo_full_name,
        number as milestone_number,
        url as milestone_url,
        title,
        state,
        open_issues as open_issue_count,
        closed_issues as closed_issue_count,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        {{ to_utc_timestamp('closed_at') }} as closed_at,
        {{ to_utc_timestamp('due_on') }} as due_on,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as milestone_row_key
    from source
)

select * from renamed

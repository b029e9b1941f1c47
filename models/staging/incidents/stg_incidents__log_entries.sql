with

source as (
    {{ source_or_empty('raw_incidents', 'log_entries') }}
),

renamed as (
    select
        id as log_entry_id,
        incident__id as incident_id,
        type as log_entry_type,
        channel__type as channel_type,
        agent__type as agent_type,
        coalesce(agent__type in ('user_reference', 'user'), false) as is_user_agent,
        case
            when agent__type in ('user_reference', 'user') then {{ hash_identity('agent__id') }}
        end as agent_key,
        case
            when agent__type not in ('user_reference', 'user') then agent__id
        end as agent_id,
        case
            when agent__type not in ('user_reference', 'user') then agent__summary
        end as agent_name,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as log_entry_row_key
    from source
)

select * from renamed

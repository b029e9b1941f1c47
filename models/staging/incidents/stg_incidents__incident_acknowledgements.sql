with

source as (
    {{ source_or_empty('raw_incidents', 'incidents__acknowledgements') }}
),

renamed as (
    select
        _dlt_id as incident_acknowledgement_row_key,
        _dlt_parent_id as incident_row_key,
        _dlt_list_idx as acknowledgement_position,
        acknowledger__type as acknowledger_type,
        case
            when acknowledger__type in ('user_reference', 'user') then {{ hash_identity('acknowledger__id') }}
        end as acknowledger_key,
        {{ to_utc_timestamp(adapter.quote('at')) }} as acknowledged_at
    from source
)

select * from renamed

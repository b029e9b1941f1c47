with

source as (
    {{ source_or_empty('raw_incidents', 'incidents') }}
),

renamed as (
    select
        id as incident_id,
        incident_number,
        title as incident_title,
        incident_type__name as incident_type,
        status,
        urgency,
        priority__id as priority_id,
        priority__summary as priority_name,
        service__id as pagerduty_service_id,
        service__summary as pagerduty_service_name,
        html_url as incident_url,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('last_status_change_at') }} as last_status_change_at,
        {{ to_utc_timestamp('resolved_at') }} as resolved_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as incident_row_key
    from source
)

select * from renamed

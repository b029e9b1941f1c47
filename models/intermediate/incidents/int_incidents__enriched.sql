-- Incidents with the service they hit (PagerDuty service id → services.csv), the owning team,
-- when they were first acknowledged, and whether a customer raised them.
with

incidents as (
    select * from {{ ref('stg_incidents__incidents') }}
),

log_entries as (
    select * from {{ ref('stg_incidents__log_entries') }}
),

services as (
    select * from {{ ref('services') }}
),

lifecycle as (
    select
        incident_id,
        min(case when log_entry_type = 'acknowledge_log_entry' then created_at end)
            as acknowledged_at,
        max(
            case
                when log_entry_type = 'trigger_log_entry' and channel_type = 'email' then 1
                else 0
            end
        ) as is_triggered_by_email,
        sum(case when log_entry_type = 'annotate_log_entry' then 1 else 0 end) as annotation_count,
        count(distinct case when is_user_agent then agent_key end) as responder_count
    from log_entries
    group by incident_id
),

final as (
    select
        incidents.incident_id,
        incidents.incident_number,
        incidents.incident_title,
        incidents.incident_url,
        services.service_id,
        services.team_id,
        incidents.pagerduty_service_id,
        incidents.status,
        incidents.urgency,
        incidents.priority_name,
        incidents.incident_type,
        incidents.created_at,
        lifecycle.acknowledged_at,
        incidents.resolved_at,
        coalesce(
            incidents.incident_type = 'customer_reported'
            or lifecycle.is_triggered_by_email = 1,
            false
        ) as is_customer_reported,
        cast(coalesce(lifecycle.annotation_count, 0) as integer) as annotation_count,
        cast(coalesce(lifecycle.responder_count, 0) as integer) as responder_count
    from incidents
    left join services
        on incidents.pagerduty_service_id = services.pagerduty_service_id
    left join lifecycle
        on incidents.incident_id = lifecycle.incident_id
)

select * from final

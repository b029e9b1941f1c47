-- Incidents with the service they hit (PagerDuty service id → services.csv), the owning team,
-- when they were first acknowledged, and whether a customer raised them.
-- Acknowledgement time, first found of (docs/sources/incidents.md): the first
-- `acknowledge_log_entry`; the earliest `at` of the incident's own `acknowledgements`; its
-- `last_status_change_at` while its status is `acknowledged`.
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

acknowledgements as (
    select * from {{ ref('stg_incidents__incident_acknowledgements') }}
),

listed_acknowledgements as (
    select
        incident_row_key,
        min(acknowledged_at) as acknowledged_at
    from acknowledgements
    group by incident_row_key
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
        coalesce(
            lifecycle.acknowledged_at,
            listed_acknowledgements.acknowledged_at,
            case when incidents.status = 'acknowledged' then incidents.last_status_change_at end
        ) as acknowledged_at,
        case
            when lifecycle.acknowledged_at is not null then 'log_entry'
            when listed_acknowledgements.acknowledged_at is not null then 'acknowledgements'
            when incidents.status = 'acknowledged' and incidents.last_status_change_at is not null
                then 'last_status_change_at'
        end as acknowledged_at_source,
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
    left join listed_acknowledgements
        on incidents.incident_row_key = listed_acknowledgements.incident_row_key
)

select * from final

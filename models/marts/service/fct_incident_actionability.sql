-- One row per incident: was the page worth it? An alert is inactionable when the incident was
-- acknowledged and then auto-resolved (the alert cleared itself while someone looked), or
-- resolved with no action by anyone (no note, reassignment, escalation, snooze or urgency
-- change between the page and the resolution). docs/weekly-review.md: the weekly review lists them as
-- candidates for tuning or removing the alert.
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

actions as (
    select * from {{ ref('int_incidents__actions') }}
),

classified as (
    select
        incidents.incident_id,
        incidents.incident_number,
        incidents.incident_url,
        incidents.service_id,
        incidents.team_id,
        incidents.urgency,
        incidents.created_at,
        incidents.created_date,
        incidents.resolved_at,
        incidents.time_to_resolve_minutes,
        coalesce(actions.is_acknowledged, false) as is_acknowledged,
        coalesce(actions.action_count, 0) as action_count,
        coalesce(actions.is_auto_resolved, false) as is_auto_resolved,
        case
            when incidents.resolved_at is null then null
            when coalesce(actions.is_acknowledged, false) and coalesce(actions.is_auto_resolved, false)
                then 'acknowledged_then_auto_resolved'
            when coalesce(actions.action_count, 0) = 0 then 'resolved_without_action'
        end as inactionable_reason
    from incidents
    left join actions
        on incidents.incident_id = actions.incident_id
),

final as (
    select
        cast(incident_id as varchar) as incident_id,
        cast(incident_number as bigint) as incident_number,
        cast(incident_url as varchar) as incident_url,
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(urgency as varchar) as urgency,
        cast(created_at as timestamp) as created_at,
        cast(created_date as date) as created_date,
        cast(resolved_at as timestamp) as resolved_at,
        cast(time_to_resolve_minutes as double precision) as time_to_resolve_minutes,
        is_acknowledged,
        cast(action_count as integer) as action_count,
        is_auto_resolved,
        inactionable_reason is not null as is_inactionable,
        cast(inactionable_reason as varchar) as inactionable_reason
    from classified
)

select * from final

-- What responders did on each incident, from its PagerDuty log entries: whether a person
-- acknowledged it, how many times a person acted on it beyond acknowledging and resolving
-- (a note, a reassignment, an escalation, a snooze, an urgency or priority change), and who
-- resolved it: a person, or the integration / an auto-resolve timeout (the alert cleared itself).
with

log_entries as (
    select * from {{ ref('stg_incidents__log_entries') }}
),

classified as (
    select
        incident_id,
        log_entry_type,
        created_at,
        is_user_agent,
        channel_type,
        case
            when
                is_user_agent
                and log_entry_type not in (
                    'trigger_log_entry', 'acknowledge_log_entry', 'resolve_log_entry',
                    'notify_log_entry', 'unacknowledge_log_entry'
                )
                then 1
            else 0
        end as is_action
    from log_entries
),

last_resolve as (
    select
        incident_id,
        max(created_at) as resolved_logged_at
    from classified
    where log_entry_type = 'resolve_log_entry'
    group by incident_id
),

resolver as (
    select
        classified.incident_id,
        max(
            case
                when not classified.is_user_agent or classified.channel_type in ('timeout', 'auto')
                    then 1
                else 0
            end
        ) as is_auto_resolved
    from classified
    inner join last_resolve
        on
            classified.incident_id = last_resolve.incident_id
            and classified.created_at = last_resolve.resolved_logged_at
    where classified.log_entry_type = 'resolve_log_entry'
    group by classified.incident_id
),

summary as (
    select
        incident_id,
        max(
            case when log_entry_type = 'acknowledge_log_entry' and is_user_agent then 1 else 0 end
        ) as is_acknowledged,
        sum(is_action) as action_count
    from classified
    group by incident_id
),

final as (
    select
        summary.incident_id,
        summary.is_acknowledged = 1 as is_acknowledged,
        cast(summary.action_count as integer) as action_count,
        coalesce(resolver.is_auto_resolved = 1, false) as is_auto_resolved,
        resolver.incident_id is not null as has_resolve_entry
    from summary
    left join resolver
        on summary.incident_id = resolver.incident_id
)

select * from final

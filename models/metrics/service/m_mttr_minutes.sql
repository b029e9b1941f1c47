-- MTTR, the DORA / SRE median time to restore: the median of detect → resolve minutes
-- (fct_incidents.time_to_resolve_minutes) over the RESOLVED incidents created in the week, per
-- service, team and org. Open incidents have no restore time yet: they are left out (never
-- counted as 0 minutes) and shown as their own measure, fct_incidents_weekly.open_incident_minutes.
-- Medians do not add up, so team and org rows are medians over their incidents, not over services.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_minutes') }}
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

restored as (
    select
        service_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start,
        time_to_resolve_minutes
    from incidents
    where service_id is not null and time_to_resolve_minutes is not null
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        week_start as period_start,
        'week' as grain,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as value
    from restored
    group by service_id, week_start
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        week_start as period_start,
        'week' as grain,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as value
    from restored
    where team_id is not null
    group by team_id, week_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        week_start as period_start,
        'week' as grain,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as value
    from restored
    group by week_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

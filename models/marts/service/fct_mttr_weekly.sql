-- MTTR per service, team and org (entity_type) and week (Monday, UTC) of creation: the median
-- of detect → resolve minutes over the RESOLVED incidents created in the week. Open incidents
-- have no restore time yet and are left out (never 0 minutes; fct_incidents_weekly carries
-- their open incident time). Team and org rows are medians over their incidents, not over
-- services (medians do not add up). Only weeks with a resolved incident have a row. The metric
-- m_mttr_minutes is the projection of mttr_minutes.
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

entity_weeks as (
    select
        'service' as entity_type,
        service_id as entity_id,
        week_start,
        count(*) as resolved_incident_count,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as mttr_minutes
    from restored
    group by service_id, week_start
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        week_start,
        count(*) as resolved_incident_count,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as mttr_minutes
    from restored
    where team_id is not null
    group by team_id, week_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        week_start,
        count(*) as resolved_incident_count,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as mttr_minutes
    from restored
    group by week_start
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(week_start as date) as week_start,
        cast(resolved_incident_count as integer) as resolved_incident_count,
        cast(mttr_minutes as double precision) as mttr_minutes
    from entity_weeks
)

select * from final

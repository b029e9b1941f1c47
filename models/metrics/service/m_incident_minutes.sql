-- Detect → resolve minutes of the resolved incidents created per service and week (open incidents
-- have no resolve time and add nothing; their time is fct_incidents_weekly.open_incident_minutes).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_count') }}
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

incidents_weekly as (
    select * from {{ ref('fct_incidents_weekly') }}
),

minutes_by_week as (
    select
        service_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start,
        sum(coalesce(time_to_resolve_minutes, 0)) as incident_minutes
    from incidents
    where service_id is not null
    group by service_id, cast({{ dbt.date_trunc('week', 'created_at') }} as date)
),

service_weeks as (
    select
        incidents_weekly.service_id,
        incidents_weekly.team_id,
        incidents_weekly.week_start,
        coalesce(minutes_by_week.incident_minutes, 0) as incident_minutes
    from incidents_weekly
    left join minutes_by_week
        on
            incidents_weekly.service_id = minutes_by_week.service_id
            and incidents_weekly.week_start = minutes_by_week.week_start
),

metric_rows as (
    {{ metrics_service_weekly_sum('service_weeks', 'incident_minutes') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Incidents per service and week (Monday, UTC) of creation: counts, customer impact, incident
-- minutes (detect → resolve minutes of the resolved incidents, summed) and MTTR (median and p90
-- of detect → resolve, resolved incidents only). Incidents still open are
-- counted apart with the time they have been open so far (open incident time, up to the latest
-- incident event in the data), never as 0 minutes of MTTR. Weeks without incidents are rows
-- with zeros for every service with an SLO, not missing rows.
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

slo_weekly as (
    select * from {{ ref('fct_slo_weekly') }}
),

data_end as (
    -- the latest incident event landed: an open incident has been open at least until then
    select max(coalesce(resolved_at, created_at)) as data_end_at
    from incidents
),

service_weeks as (
    select distinct
        service_id,
        team_id,
        week_start
    from slo_weekly
),

incident_weeks as (
    select
        incidents.service_id,
        cast({{ dbt.date_trunc('week', 'incidents.created_at') }} as date) as week_start,
        count(*) as incident_count,
        sum(case when incidents.urgency = 'high' then 1 else 0 end) as high_urgency_count,
        sum(case when incidents.is_customer_reported then 1 else 0 end) as customer_reported_count,
        sum(incidents.customer_impact_minutes) as customer_impact_minutes,
        sum(coalesce(incidents.time_to_resolve_minutes, 0)) as incident_minutes,
        {{ percentile('incidents.time_to_resolve_minutes', 0.5) }} as mttr_minutes_median,
        {{ percentile('incidents.time_to_resolve_minutes', 0.9) }} as mttr_minutes_p90,
        sum(case when incidents.resolved_at is null then 1 else 0 end) as open_incident_count,
        sum(
            case
                when incidents.resolved_at is null
                    then cast(
                            {{ dbt.datediff('incidents.created_at', 'data_end.data_end_at', 'second') }}
                            as double precision
                        ) / 60
                else 0
            end
        ) as open_incident_minutes
    from incidents
    cross join data_end
    where incidents.service_id is not null
    group by incidents.service_id, cast({{ dbt.date_trunc('week', 'incidents.created_at') }} as date)
),

final as (
    select
        service_weeks.service_id,
        service_weeks.team_id,
        service_weeks.week_start,
        cast(coalesce(incident_weeks.incident_count, 0) as integer) as incident_count,
        cast(coalesce(incident_weeks.high_urgency_count, 0) as integer) as high_urgency_count,
        cast(coalesce(incident_weeks.customer_reported_count, 0) as integer)
            as customer_reported_count,
        cast(coalesce(incident_weeks.customer_impact_minutes, 0) as double precision)
            as customer_impact_minutes,
        cast(coalesce(incident_weeks.incident_minutes, 0) as double precision) as incident_minutes,
        cast(incident_weeks.mttr_minutes_median as double precision) as mttr_minutes_median,
        cast(incident_weeks.mttr_minutes_p90 as double precision) as mttr_minutes_p90,
        cast(coalesce(incident_weeks.open_incident_count, 0) as integer) as open_incident_count,
        cast(coalesce(incident_weeks.open_incident_minutes, 0) as double precision)
            as open_incident_minutes
    from service_weeks
    left join incident_weeks
        on
            service_weeks.service_id = incident_weeks.service_id
            and service_weeks.week_start = incident_weeks.week_start
)

select * from final

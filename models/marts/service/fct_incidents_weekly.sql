-- Incidents per service and week (Monday, UTC) of creation: counts, customer impact and MTTR
-- (median and p90 of detect → resolve, resolved incidents only). Weeks without incidents are
-- rows with zeros for every service with an SLO, not missing rows.
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

slo_weekly as (
    select * from {{ ref('fct_slo_weekly') }}
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
        service_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start,
        count(*) as incident_count,
        sum(case when urgency = 'high' then 1 else 0 end) as high_urgency_count,
        sum(case when is_customer_reported then 1 else 0 end) as customer_reported_count,
        sum(customer_impact_minutes) as customer_impact_minutes,
        {{ percentile('time_to_resolve_minutes', 0.5) }} as mttr_minutes_median,
        {{ percentile('time_to_resolve_minutes', 0.9) }} as mttr_minutes_p90
    from incidents
    where service_id is not null
    group by service_id, cast({{ dbt.date_trunc('week', 'created_at') }} as date)
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
        cast(incident_weeks.mttr_minutes_median as double precision) as mttr_minutes_median,
        cast(incident_weeks.mttr_minutes_p90 as double precision) as mttr_minutes_p90
    from service_weeks
    left join incident_weeks
        on
            service_weeks.service_id = incident_weeks.service_id
            and service_weeks.week_start = incident_weeks.week_start
)

select * from final

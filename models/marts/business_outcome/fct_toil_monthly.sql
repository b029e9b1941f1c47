-- Toil per team and calendar month (entity_type `team`) and for the whole organisation (`org`):
-- engineering hours spent on incident response (each incident's open time, created ->
-- resolved, x its responders from the PagerDuty log entries) plus rework deployments (var
-- `rework_hours_per_deployment` engineer-hours each, default 4), against capacity = engineers
-- (teams.csv) x var `engineer_hours_per_month` (default 140). A team with no engineers has no
-- capacity and no toil share. Org: totals over all teams. The metric m_toil_share is the
-- projection of toil_share.
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

deployments as (
    select * from {{ ref('fct_deployments') }}
),

teams as (
    select * from {{ ref('teams') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

months as (
    select distinct cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start
    from signals_daily
),

incident_seconds as (
    select
        team_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start,
        coalesce(responder_count, 0) as responders,
        {{ delivery_exact_minutes('created_at', 'resolved_at') }} as minutes
    from incidents
    where resolved_at is not null and team_id is not null
),

incident_hours as (
    select
        team_id,
        month_start,
        sum(minutes / 60.0 * responders) as hours
    from incident_seconds
    group by team_id, month_start
),

rework_hours as (
    select
        team_id,
        cast({{ dbt.date_trunc('month', 'finished_at') }} as date) as month_start,
        count(*) * {{ var('rework_hours_per_deployment', 4) }} as hours
    from deployments
    where is_rework and team_id is not null
    group by team_id, cast({{ dbt.date_trunc('month', 'finished_at') }} as date)
),

team_months as (
    select
        teams.team_id,
        months.month_start,
        cast(coalesce(incident_hours.hours, 0) as double precision)
        + cast(coalesce(rework_hours.hours, 0) as double precision) as toil_hours,
        cast(teams.engineers as double precision)
        * {{ var('engineer_hours_per_month', 140) }} as capacity_hours
    from teams
    cross join months
    left join incident_hours
        on
            teams.team_id = incident_hours.team_id
            and months.month_start = incident_hours.month_start
    left join rework_hours
        on
            teams.team_id = rework_hours.team_id
            and months.month_start = rework_hours.month_start
),

entity_months as (
    {{ entity_rollup('team_months', ['team', 'team_id'], ['month_start'],
                     ['toil_hours', 'capacity_hours'], rollups=['org']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(toil_hours as double precision) as toil_hours,
        cast(capacity_hours as double precision) as capacity_hours,
        cast(
            case when capacity_hours > 0 then toil_hours / capacity_hours end as double precision
        ) as toil_share
    from entity_months
)

select * from final

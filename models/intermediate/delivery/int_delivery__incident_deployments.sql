-- One row per incident with the latest successful production deployment of the service it
-- hit that finished before the incident started (delivery_incident_deployment_links), and
-- whether the incident counts as that deployment's failure (delivery_incident_fails_deployment,
-- dbt var `delivery_failure_rule`).
-- Breadcrumbs scopes the link to the service, not to a whole project as DevLake does, so an
-- incident on `search` is never blamed on a `checkout` deploy made a minute earlier.
-- The incident's cause is the anomalous-signal episode of its service that led to it
-- (int_signals__anomaly_episodes): the latest one that began by the incident's creation and
-- had not ended more than `delivery_cause_lookback_hours` (default 6) before it. Under the
-- default rule an incident whose cause began before the deployment does not fail it (a problem
-- already under way, such as a capacity fault), nor does one more than
-- `delivery_failure_window_hours` (default 24) after it.
{%- set lookback_hours = var('delivery_cause_lookback_hours', 6) | int %}
with

incidents as (
    select * from {{ ref('int_incidents__with_service_and_acknowledgement') }}
),

deployments as (
    select * from {{ ref('int_delivery__deployments') }}
),

anomaly_episodes as (
    select * from {{ ref('int_signals__anomaly_episodes') }}
),

links as (
    {{ delivery_incident_deployment_links('incidents', 'deployments') }}
),

causes as (
    select
        incident_id,
        cause_started_at
    from (
        select
            incidents.incident_id,
            anomaly_episodes.started_at as cause_started_at,
            row_number() over (
                partition by incidents.incident_id
                order by anomaly_episodes.started_at desc
            ) as episode_rank
        from incidents
        inner join anomaly_episodes
            on
                incidents.service_id = anomaly_episodes.service_id
                and incidents.created_at >= anomaly_episodes.started_at
                and {{ dbt.dateadd('hour', -lookback_hours, 'incidents.created_at') }}
                <= anomaly_episodes.ended_at
    ) as ranked_episodes
    where episode_rank = 1
),

joined as (
    select
        incidents.incident_id,
        incidents.service_id,
        incidents.team_id,
        incidents.urgency,
        incidents.created_at as incident_created_at,
        incidents.resolved_at as incident_resolved_at,
        causes.cause_started_at,
        links.deployment_id,
        deployments.started_at as deployment_started_at,
        links.deployment_finished_at,
        links.minutes_since_deployment
    from incidents
    inner join links
        on incidents.incident_id = links.incident_id
    left join causes
        on incidents.incident_id = causes.incident_id
    left join deployments
        on links.deployment_id = deployments.deployment_id
),

final as (
    select
        joined.incident_id,
        joined.service_id,
        joined.team_id,
        joined.urgency,
        joined.incident_created_at,
        joined.incident_resolved_at,
        joined.cause_started_at,
        joined.deployment_id,
        joined.deployment_started_at,
        joined.deployment_finished_at,
        joined.minutes_since_deployment,
        coalesce(
            joined.cause_started_at is not null
            and joined.deployment_id is not null
            and {{ dbt.datediff('joined.cause_started_at', 'joined.deployment_started_at', 'second') }}
            >= 3600,
            false
        ) as is_cause_before_deployment,
        {{ delivery_incident_fails_deployment('joined') }} as fails_deployment
    from joined
)

select * from final

-- One row per incident with the latest successful production deployment of the service it
-- hit that finished before the incident started (delivery_incident_deployment_links).
-- Breadcrumbs scopes the link to the service, not to a whole project as DevLake does, so an
-- incident on `search` is never blamed on a `checkout` deploy made a minute earlier.
with

incidents as (
    select * from {{ ref('int_incidents__enriched') }}
),

deployments as (
    select * from {{ ref('int_delivery__deployments') }}
),

links as (
    {{ delivery_incident_deployment_links('incidents', 'deployments') }}
),

final as (
    select
        incidents.incident_id,
        incidents.service_id,
        incidents.team_id,
        incidents.urgency,
        incidents.created_at as incident_created_at,
        incidents.resolved_at as incident_resolved_at,
        links.deployment_id,
        links.deployment_finished_at,
        links.minutes_since_deployment
    from incidents
    inner join links
        on incidents.incident_id = links.incident_id
)

select * from final

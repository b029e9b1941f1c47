-- One row per PagerDuty incident with its service, team, severity and timings. MTTR here is
-- detect → resolve (created_at → resolved_at); customer-impact minutes count the whole
-- incident for high-urgency incidents on a service some plan depends on. The linked
-- deployment is the latest successful production deployment of the same service before the
-- incident (int_delivery__incident_deployments).
with

incidents as (
    select * from {{ ref('int_incidents__with_service_and_acknowledgement') }}
),

deployment_links as (
    select * from {{ ref('int_delivery__incident_deployments') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

customer_facing as (
    select distinct service_id from plan_services
),

final as (
    select
        incidents.incident_id,
        incidents.incident_number,
        incidents.incident_url,
        cast(incidents.service_id as varchar) as service_id,
        cast(incidents.team_id as varchar) as team_id,
        incidents.status,
        incidents.urgency,
        incidents.priority_name as severity,
        incidents.created_at,
        incidents.acknowledged_at,
        incidents.resolved_at,
        cast(incidents.created_at as date) as created_date,
        incidents.is_customer_reported,
        customer_facing.service_id is not null as is_customer_facing,
        cast(
            {{ dbt.datediff('incidents.created_at', 'incidents.acknowledged_at', 'second') }}
            as double precision
        ) / 60 as time_to_acknowledge_minutes,
        cast(
            {{ dbt.datediff('incidents.created_at', 'incidents.resolved_at', 'second') }}
            as double precision
        ) / 60 as time_to_resolve_minutes,
        case
            when incidents.urgency = 'high' and customer_facing.service_id is not null
                then cast(
                        {{ dbt.datediff('incidents.created_at', 'incidents.resolved_at', 'second') }}
                        as double precision
                    ) / 60
            else 0
        end as customer_impact_minutes,
        incidents.responder_count,
        cast(deployment_links.deployment_id as varchar) as linked_deployment_id,
        cast(deployment_links.minutes_since_deployment as double precision)
            as minutes_since_deployment
    from incidents
    left join customer_facing
        on incidents.service_id = customer_facing.service_id
    left join deployment_links
        on incidents.incident_id = deployment_links.incident_id
)

select * from final

-- One row per incident: the latest successful production deployment of the service it hit
-- that finished before it started, and the minutes between (null when the service had no
-- earlier deployment or the incident's service is unknown), and whether it counts as that
-- deployment's failure (dbt var `delivery_failure_rule`, docs/metric-definitions.md).
with

links as (
    select * from {{ ref('int_delivery__incident_deployments') }}
),

final as (
    select
        cast(incident_id as varchar) as incident_id,
        cast(service_id as varchar) as service_id,
        cast(team_id as varchar) as team_id,
        cast(urgency as varchar) as urgency,
        cast(incident_created_at as timestamp) as incident_created_at,
        cast(incident_resolved_at as timestamp) as incident_resolved_at,
        cast(deployment_id as varchar) as deployment_id,
        cast(deployment_finished_at as timestamp) as deployment_finished_at,
        cast(minutes_since_deployment as bigint) as minutes_since_deployment,
        cast(deployment_id is not null as boolean) as is_linked,
        cast(cause_started_at as timestamp) as cause_started_at,
        cast(is_cause_before_deployment as boolean) as is_cause_before_deployment,
        cast(fails_deployment as boolean) as fails_deployment
    from links
)

select * from final

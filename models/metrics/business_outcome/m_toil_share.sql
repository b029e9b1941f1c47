-- Share of a team's engineering hours in the month spent on toil, incident response plus rework
-- deployments over capacity (fct_toil_monthly.toil_share); org: totals over all teams.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_minutes') }}
-- depends_on: {{ ref('m_deployment_rework_rate') }}
with

toil_monthly as (
    select * from {{ ref('fct_toil_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('toil_monthly', 'toil_share') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

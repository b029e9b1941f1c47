-- Production deployments per team and week that needed remediation (DORA 2024; var delivery_failure_rule).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
-- depends_on: {{ ref('m_pr_size_lines') }}
with

team_weekly as (
    select * from {{ ref('fct_delivery_team_weekly') }}
),

org_weekly as (
    select * from {{ ref('fct_delivery_org_weekly') }}
),

metric_rows as (
    {{ metrics_delivery_weekly('team_weekly', 'org_weekly', 'failed_deployment_count') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

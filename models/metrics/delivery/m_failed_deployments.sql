-- Production deployments per team and week that needed remediation (DORA 2024; var delivery_failure_rule).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
-- depends_on: {{ ref('m_pr_size_lines') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'failed_deployment_count') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

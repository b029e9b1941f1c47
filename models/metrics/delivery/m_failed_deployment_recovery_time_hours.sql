-- Median hours from a failed deployment's finish to its recovery (the resolution of the last incident
-- that counts as its failure, or else the finish of the fix deployment), per team and week.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_duration_minutes') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'failed_deployment_recovery_time_hours') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Share of the week's deployments that were unplanned fixes of a failed one.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_failure_rate') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'deployment_rework_rate') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

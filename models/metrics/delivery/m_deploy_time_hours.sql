-- Median merge → production deployment of the week's deployed PRs, hours.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_duration_minutes') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'deploy_time_hours') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

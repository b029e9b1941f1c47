-- Share of the week's completed CI runs that succeeded.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'ci_success_rate') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

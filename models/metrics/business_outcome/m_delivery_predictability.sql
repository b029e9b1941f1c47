-- Share of the feature issues due in the month (their milestone's `due_on`) that closed as
-- completed on or before the due date, per team and org (fct_delivery_predictability_monthly).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_lead_time_hours') }}
-- depends_on: {{ ref('m_pickup_time_hours') }}
with

predictability_monthly as (
    select * from {{ ref('fct_delivery_predictability_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('predictability_monthly', 'delivery_predictability') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

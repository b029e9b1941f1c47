-- Incidents raised by customers per service and week (team and org: sums).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_count') }}
with

incidents_weekly as (
    select * from {{ ref('fct_incidents_weekly') }}
),

metric_rows as (
    {{ metrics_service_weekly_sum('incidents_weekly', 'customer_reported_count') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

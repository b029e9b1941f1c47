-- Detect → resolve minutes of the resolved incidents created per service and week
-- (fct_incidents_weekly.incident_minutes; open incidents have no resolve time and add nothing,
-- their time is fct_incidents_weekly.open_incident_minutes); team and org: sums over services.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_count') }}
with

incidents_weekly as (
    select * from {{ ref('fct_incidents_weekly') }}
),

metric_rows as (
    {{ metrics_service_weekly_sum('incidents_weekly', 'incident_minutes') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

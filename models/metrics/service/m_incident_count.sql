-- PagerDuty incidents created per service and week (team and org: sums).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_failure_rate') }}
-- depends_on: {{ ref('m_error_rate') }}
with

incidents_weekly as (
    select * from {{ ref('fct_incidents_weekly') }}
),

metric_rows as (
    {{ metrics_service_weekly_sum('incidents_weekly', 'incident_count') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

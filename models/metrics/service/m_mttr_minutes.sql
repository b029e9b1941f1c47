-- MTTR, the DORA / SRE median time to restore (fct_mttr_weekly.mttr_minutes): the median of
-- detect → resolve minutes (fct_incidents.time_to_resolve_minutes) over the RESOLVED incidents
-- created in the week, per service, team and org. Open incidents have no restore time yet: they
-- are left out (never counted as 0 minutes) and shown as their own measure,
-- fct_incidents_weekly.open_incident_minutes. Medians do not add up, so team and org rows are
-- medians over their incidents, not over services.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_incident_minutes') }}
with

mttr_weekly as (
    select * from {{ ref('fct_mttr_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('mttr_weekly', 'mttr_minutes') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Share of a service's production deployments finished on the day that failed (caused an
-- incident or needed a fix): change_failure_rate at the grain of the errors it causes, so a
-- team that already fails one deployment in six does not hide a failed deployment of one
-- service behind its weekly rate (fct_service_change_failure_daily.change_failure_rate). Days
-- without a deployment have no row.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
-- depends_on: {{ ref('m_pr_size_lines') }}
with

change_failure_daily as (
    select * from {{ ref('fct_service_change_failure_daily') }}
),

metric_rows as (
    {{ metrics_entity_daily('change_failure_daily', 'change_failure_rate', 'deployment_date') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

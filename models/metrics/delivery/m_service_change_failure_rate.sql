-- Share of a service's production deployments finished on the day that failed (caused an
-- incident or needed a fix): change_failure_rate at the grain of the errors it causes, so a
-- team that already fails one deployment in six does not hide a failed deployment of one
-- service behind its weekly rate. Days without a deployment have no row.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
-- depends_on: {{ ref('m_pr_size_lines') }}
with

deployments as (
    select * from {{ ref('fct_deployments') }}
),

service_days as (
    select
        service_id,
        cast({{ dbt.date_trunc('day', 'finished_at') }} as date) as deployment_date,
        count(*) as deployment_count,
        sum(case when is_failed then 1 else 0 end) as failed_deployment_count
    from deployments
    where is_successful and finished_at is not null and service_id is not null
    group by service_id, cast({{ dbt.date_trunc('day', 'finished_at') }} as date)
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        deployment_date as period_start,
        'day' as grain,
        cast(failed_deployment_count as double precision) / deployment_count as value
    from service_days
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

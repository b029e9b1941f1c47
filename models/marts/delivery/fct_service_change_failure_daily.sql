-- Change failure rate per service (entity_type `service`) and UTC day of finish: of the
-- service's successful production deployments finished that day (fct_deployments), the share
-- that failed (caused an incident or needed a fix, fct_deployments.is_failed). An unsuccessful
-- deployment shipped nothing and counts in neither; a deployment still running (no finish) or
-- without a service counts nowhere; days without a deployment have no row. The metric
-- m_service_change_failure_rate is the projection of change_failure_rate.
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

final as (
    select
        cast('service' as varchar) as entity_type,
        cast(service_id as varchar) as entity_id,
        cast(deployment_date as date) as deployment_date,
        cast(deployment_count as integer) as deployment_count,
        cast(failed_deployment_count as integer) as failed_deployment_count,
        cast(failed_deployment_count as double precision) / deployment_count as change_failure_rate
    from service_days
)

select * from final

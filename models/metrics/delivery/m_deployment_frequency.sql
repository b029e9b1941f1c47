-- Production deployments per day, averaged over the week (deployments / 7).
with

deployments as (
    select * from {{ ref('m_deployments') }}
),

metric_rows as (
    select
        entity_type,
        entity_id,
        period_start,
        grain,
        value / 7.0 as value
    from deployments
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Good / total requests per service and day, 0–1 (1 − error_rate).
with

error_rate as (
    select * from {{ ref('m_error_rate') }}
),

metric_rows as (
    select
        entity_type,
        entity_id,
        period_start,
        grain,
        1 - value as value
    from error_rate
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

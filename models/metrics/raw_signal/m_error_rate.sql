-- Failed / total requests per service and day, 0–1.
with

numerator as (
    select * from {{ ref('m_error_count') }}
),

denominator as (
    select * from {{ ref('m_request_count') }}
),

metric_rows as (
    {{ metrics_ratio('numerator', 'denominator') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

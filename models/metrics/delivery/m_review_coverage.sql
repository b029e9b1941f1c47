-- Share of the week's merged PRs reviewed before merge.
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'review_coverage') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

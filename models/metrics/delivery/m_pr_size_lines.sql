-- Median lines added + deleted of the week's merged PRs.
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'pr_size_lines') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

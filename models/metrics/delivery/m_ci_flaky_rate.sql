-- Share of the week's CI runs that needed more than one attempt.
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'ci_flaky_rate') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

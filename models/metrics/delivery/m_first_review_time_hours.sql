-- Median PR opened → first review of the week's PRs, hours.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_pr_size_lines') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'first_review_time_hours') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

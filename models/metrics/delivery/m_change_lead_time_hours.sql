-- DORA change lead time, hours: the median, over the changes (non-bot pull requests) deployed to
-- production in the week, of first commit → the production deployment that shipped them
-- (fct_delivery_weekly.change_lead_time_hours). The four stage times are their own
-- metrics, measured on other populations (merged, not deployed, in the week), and drive it
-- causally; they do not add up to it.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_coding_time_hours') }}
-- depends_on: {{ ref('m_pickup_time_hours') }}
-- depends_on: {{ ref('m_review_time_hours') }}
-- depends_on: {{ ref('m_deploy_time_hours') }}
with

delivery_weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('delivery_weekly', 'change_lead_time_hours') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

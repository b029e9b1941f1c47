-- MRR of a plan's customers exposed to an availability SLO breach of a service they depend on,
-- averaged over the days of the week (a week-long breach puts the whole plan's MRR at risk):
-- fct_revenue_at_risk_weekly.mrr_at_risk, per plan and org.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
-- depends_on: {{ ref('m_error_budget_remaining') }}
with

revenue_at_risk_weekly as (
    select * from {{ ref('fct_revenue_at_risk_weekly') }}
),

metric_rows as (
    {{ metrics_entity_weekly('revenue_at_risk_weekly', 'mrr_at_risk') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Customers who stopped paying in the month / customers paying at its start.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_revenue_at_risk') }}
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

metric_rows as (
    {{ metrics_mrr_monthly('mrr_monthly', 'mrr_monthly_org', 'logo_churn_rate') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- 12-month cohort net revenue retention (the board's NRR), per plan and month:
--   MRR in the month of the customers who were paying 12 months earlier
--   ÷ the MRR those same customers paid 12 months earlier.
-- The cohort is every customer with MRR > 0 in the month 12 months back, on the plan it was on
-- then (org: all of them). Their MRR today includes expansion, contraction and churn (a churned
-- customer counts 0; one who left and came back counts what it pays today); customers who
-- started paying since are not in it. Null until the data reaches 12 months back.
-- (fct_net_revenue_retention_monthly.net_revenue_retention_12m)
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_expansion_mrr') }}
-- depends_on: {{ ref('m_contraction_mrr') }}
-- depends_on: {{ ref('m_churned_mrr') }}
with

retention_monthly as (
    select * from {{ ref('fct_net_revenue_retention_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('retention_monthly', 'net_revenue_retention_12m') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

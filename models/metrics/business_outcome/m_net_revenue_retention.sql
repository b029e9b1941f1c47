-- Monthly NRR per plan, org and month: the MRR this month (on any plan) of the customers paying
-- in the previous month ÷ their MRR then, by the plan they were on then; the one NRR definition
-- (macro net_revenue_retention_cohorts) at a 1-month lag
-- (fct_net_revenue_retention_monthly.net_revenue_retention); the board's 12-month NRR, the same
-- definition at a 12-month lag, is m_net_revenue_retention_12m.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_mrr') }}
-- depends_on: {{ ref('m_expansion_mrr') }}
-- depends_on: {{ ref('m_contraction_mrr') }}
-- depends_on: {{ ref('m_churned_mrr') }}
with

retention_monthly as (
    select * from {{ ref('fct_net_revenue_retention_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('retention_monthly', 'net_revenue_retention') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

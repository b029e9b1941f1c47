-- Monthly recurring revenue at the end of the month, per plan and org.
-- formula inputs (MRR movements):
-- depends_on: {{ ref('m_new_mrr') }}
-- depends_on: {{ ref('m_expansion_mrr') }}
-- depends_on: {{ ref('m_contraction_mrr') }}
-- depends_on: {{ ref('m_churned_mrr') }}
-- depends_on: {{ ref('m_reactivation_mrr') }}
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

metric_rows as (
    {{ metrics_mrr_monthly('mrr_monthly', 'mrr_monthly_org', 'mrr_amount') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- MRR of customers paying again after a churn.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

metric_rows as (
    {{ metrics_mrr_monthly('mrr_monthly', 'mrr_monthly_org', 'reactivation_mrr') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

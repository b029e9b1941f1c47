-- MRR of customers paying for the first time in the month.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

metric_rows as (
    {{ metrics_mrr_monthly('mrr_monthly', 'mrr_monthly_org', 'new_mrr') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- MRR and its movements for the whole organisation per month: the sums of fct_mrr_monthly's
-- plan rows, with logo churn and net revenue retention recomputed from the sums (a rate of
-- the totals, not an average of plan rates). Its own model so that no table mixes the org
-- total with its parts.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

org as (
    select
        month_start,
        sum(mrr_amount) as mrr_amount,
        sum(opening_mrr_amount) as opening_mrr_amount,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(active_customers) as active_customers,
        sum(opening_customers) as opening_customers,
        sum(churned_customers) as churned_customers,
        sum(expanded_customers) as expanded_customers,
        sum(contracted_customers) as contracted_customers
    from mrr_monthly
    group by month_start
),

final as (
    select
        month_start,
        cast(mrr_amount as decimal(18, 2)) as mrr_amount,
        cast(opening_mrr_amount as decimal(18, 2)) as opening_mrr_amount,
        cast(new_mrr as decimal(18, 2)) as new_mrr,
        cast(expansion_mrr as decimal(18, 2)) as expansion_mrr,
        cast(contraction_mrr as decimal(18, 2)) as contraction_mrr,
        cast(churned_mrr as decimal(18, 2)) as churned_mrr,
        cast(reactivation_mrr as decimal(18, 2)) as reactivation_mrr,
        cast(active_customers as integer) as active_customers,
        cast(opening_customers as integer) as opening_customers,
        cast(churned_customers as integer) as churned_customers,
        cast(expanded_customers as integer) as expanded_customers,
        cast(contracted_customers as integer) as contracted_customers,
        cast(churned_customers as double precision)
        / nullif(opening_customers, 0) as logo_churn_rate,
        cast(opening_mrr_amount + expansion_mrr - contraction_mrr - churned_mrr as double precision)
        / nullif(opening_mrr_amount, 0) as net_revenue_retention
    from org
)

select * from final

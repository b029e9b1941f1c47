-- MRR and its movements for the whole organisation per month: the sums of fct_mrr_monthly's
-- plan rows, with logo churn recomputed from the sums (a rate of the totals, not an average of
-- plan rates). Net revenue retention is the org row of fct_net_revenue_retention_monthly, where
-- the one NRR definition is computed (the cohort of every customer paying in the previous
-- month). Its own model so that no table mixes the org total with its parts.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

org_retention as (
    select
        month_start,
        net_revenue_retention
    from {{ ref('fct_net_revenue_retention_monthly') }}
    where entity_type = 'org'
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
        org.month_start,
        cast(org.mrr_amount as decimal(18, 2)) as mrr_amount,
        cast(org.opening_mrr_amount as decimal(18, 2)) as opening_mrr_amount,
        cast(org.new_mrr as decimal(18, 2)) as new_mrr,
        cast(org.expansion_mrr as decimal(18, 2)) as expansion_mrr,
        cast(org.contraction_mrr as decimal(18, 2)) as contraction_mrr,
        cast(org.churned_mrr as decimal(18, 2)) as churned_mrr,
        cast(org.reactivation_mrr as decimal(18, 2)) as reactivation_mrr,
        cast(org.active_customers as integer) as active_customers,
        cast(org.opening_customers as integer) as opening_customers,
        cast(org.churned_customers as integer) as churned_customers,
        cast(org.expanded_customers as integer) as expanded_customers,
        cast(org.contracted_customers as integer) as contracted_customers,
        cast(org.churned_customers as double precision)
        / nullif(org.opening_customers, 0) as logo_churn_rate,
        cast(org_retention.net_revenue_retention as double precision) as net_revenue_retention
    from org
    left join org_retention
        on org.month_start = org_retention.month_start
)

select * from final

-- MRR and its movements per plan and month, with logo churn and net revenue retention. Plan
-- rows only, so a SUM over plans is the organisation: the org totals are fct_mrr_monthly_org
-- (customers switching plans move MRR between plans, so only the org rows satisfy the
-- month-over-month identity on their own). The movement columns follow each customer's plan of
-- the month; net_revenue_retention does not: it is the one NRR definition, computed once in
-- fct_net_revenue_retention_monthly (macro net_revenue_retention_cohorts, lag 1) and read here
-- from its plan rows: the cohort of customers paying in the previous month on this plan then,
-- measured on what they pay this month on any plan.
with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

plan_retention as (
    select * from {{ ref('fct_net_revenue_retention_monthly') }}
    where entity_type = 'plan'
),

by_plan as (
    select
        plan_id,
        month_start,
        sum(mrr_amount) as mrr_amount,
        sum(previous_mrr_amount) as opening_mrr_amount,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(case when mrr_amount > 0 then 1 else 0 end) as active_customers,
        sum(case when previous_mrr_amount > 0 then 1 else 0 end) as opening_customers,
        sum(case when movement = 'churned' then 1 else 0 end) as churned_customers,
        sum(case when movement = 'expansion' then 1 else 0 end) as expanded_customers,
        sum(case when movement = 'contraction' then 1 else 0 end) as contracted_customers
    from movements
    group by plan_id, month_start
),

with_retention as (
    select
        by_plan.*,
        plan_retention.cohort_starting_mrr_1m as retention_cohort_starting_mrr,
        plan_retention.cohort_current_mrr_1m as retention_cohort_current_mrr,
        plan_retention.net_revenue_retention
    from by_plan
    left join plan_retention
        on
            by_plan.plan_id = plan_retention.entity_id
            and by_plan.month_start = plan_retention.month_start
),

final as (
    select
        cast(plan_id as varchar) as plan_id,
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
        cast(net_revenue_retention as double precision) as net_revenue_retention,
        cast(retention_cohort_starting_mrr as decimal(18, 2)) as retention_cohort_starting_mrr,
        cast(retention_cohort_current_mrr as decimal(18, 2)) as retention_cohort_current_mrr
    from with_retention
)

select * from final

-- mrr[m] = mrr[m-1] + new + expansion + reactivation - contraction - churned, exactly, for
-- every customer-month and for the organisation's monthly totals. Returns the rows that break it.
with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

org_previous as (
    select
        month_start,
        mrr_amount,
        opening_mrr_amount,
        new_mrr,
        expansion_mrr,
        reactivation_mrr,
        contraction_mrr,
        churned_mrr,
        lag(mrr_amount) over (order by month_start) as previous_month_mrr
    from org
),

customer_breaks as (
    select
        'customer ' || customer_id as subject,
        month_start
    from movements
    where
        mrr_amount
        != previous_mrr_amount + new_mrr + expansion_mrr + reactivation_mrr
        - contraction_mrr - churned_mrr
),

org_breaks as (
    select
        'org' as subject,
        month_start
    from org_previous
    where
        mrr_amount
        != opening_mrr_amount + new_mrr + expansion_mrr + reactivation_mrr
        - contraction_mrr - churned_mrr
        or (previous_month_mrr is not null and previous_month_mrr != opening_mrr_amount)
)

select * from customer_breaks
union all
select * from org_breaks

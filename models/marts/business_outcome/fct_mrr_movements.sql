-- MRR movements per customer and month. For every row:
-- mrr_amount = previous_mrr_amount + new + expansion + reactivation - contraction - churned
-- (tested exactly). `plan_id` is the month's plan, or the previous month's for a churn.
-- One row per customer and month while the customer pays, plus the month it churns.
with

customer_months as (
    select * from {{ ref('int_revenue__customer_months') }}
),

lagged as (
    select
        customer_id,
        month_start,
        plan_id,
        currency,
        mrr_amount,
        coalesce(
            lag(mrr_amount) over (partition by customer_id order by month_start), 0
        ) as previous_mrr_amount,
        lag(plan_id) over (partition by customer_id order by month_start) as previous_plan_id,
        lag(currency) over (partition by customer_id order by month_start) as previous_currency,
        coalesce(
            max(case when mrr_amount > 0 then 1 else 0 end) over (
                partition by customer_id
                order by month_start
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as has_paid_before
    from customer_months
),

classified as (
    select
        *,
        case
            when previous_mrr_amount = 0 and mrr_amount > 0 and has_paid_before = 0 then 'new'
            when previous_mrr_amount = 0 and mrr_amount > 0 then 'reactivation'
            when previous_mrr_amount > 0 and mrr_amount = 0 then 'churned'
            when mrr_amount > previous_mrr_amount then 'expansion'
            when mrr_amount < previous_mrr_amount then 'contraction'
            when mrr_amount > 0 then 'retained'
            else 'inactive'
        end as movement
    from lagged
),

final as (
    select
        customer_id,
        coalesce(plan_id, previous_plan_id) as plan_id,
        month_start,
        coalesce(currency, previous_currency) as currency,
        mrr_amount,
        cast(previous_mrr_amount as decimal(18, 2)) as previous_mrr_amount,
        cast(case when movement = 'new' then mrr_amount else 0 end as decimal(18, 2))
            as new_mrr,
        cast(
            case when movement = 'expansion' then mrr_amount - previous_mrr_amount else 0 end
            as decimal(18, 2)
        ) as expansion_mrr,
        cast(
            case when movement = 'contraction' then previous_mrr_amount - mrr_amount else 0 end
            as decimal(18, 2)
        ) as contraction_mrr,
        cast(case when movement = 'churned' then previous_mrr_amount else 0 end as decimal(18, 2))
            as churned_mrr,
        cast(case when movement = 'reactivation' then mrr_amount else 0 end as decimal(18, 2))
            as reactivation_mrr,
        movement
    from classified
    -- months with no MRR before or after carry no movement (after a churn, until a
    -- reactivation): left out, the lag above already saw them
    where movement != 'inactive'
)

select * from final

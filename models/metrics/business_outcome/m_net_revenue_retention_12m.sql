-- 12-month cohort net revenue retention (the board's NRR), per plan and month:
--   MRR in the month of the customers who were paying 12 months earlier
--   ÷ the MRR those same customers paid 12 months earlier.
-- The cohort is every customer with MRR > 0 in the month 12 months back, on the plan it was on
-- then (org: all of them). Their MRR today includes expansion, contraction and churn (a churned
-- customer counts 0; one who left and came back counts what it pays today); customers who
-- started paying since are not in it. Null until the data reaches 12 months back.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_expansion_mrr') }}
-- depends_on: {{ ref('m_contraction_mrr') }}
-- depends_on: {{ ref('m_churned_mrr') }}
with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

months as (
    select distinct month_start from movements
),

cohorts as (
    select
        months.month_start,
        cohort_start.customer_id,
        cohort_start.plan_id,
        cohort_start.mrr_amount as starting_mrr
    from months
    inner join movements as cohort_start
        on cohort_start.month_start = cast({{ dbt.dateadd('month', -12, 'months.month_start') }} as date)
    where cohort_start.mrr_amount > 0
),

retained as (
    select
        cohorts.month_start,
        cohorts.plan_id,
        cast(cohorts.starting_mrr as double precision) as starting_mrr,
        cast(coalesce(today.mrr_amount, 0) as double precision) as current_mrr
    from cohorts
    left join movements as today
        on
            cohorts.customer_id = today.customer_id
            and cohorts.month_start = today.month_start
),

metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        'month' as grain,
        case when sum(starting_mrr) > 0 then sum(current_mrr) / sum(starting_mrr) end as value
    from retained
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        case when sum(starting_mrr) > 0 then sum(current_mrr) / sum(starting_mrr) end as value
    from retained
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

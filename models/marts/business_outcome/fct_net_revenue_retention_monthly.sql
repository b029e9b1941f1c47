-- Net revenue retention per plan (entity_type `plan`) and for the whole organisation (`org`)
-- and calendar month, both definitions in one place:
--   net_revenue_retention (monthly, month over month): (opening MRR + expansion − contraction −
--   churned) / opening MRR, where the opening MRR is the entity's MRR of the previous month
--   (fct_mrr_monthly / fct_mrr_monthly_org) and the movements are the month's; null when the
--   previous month has no MRR row or no MRR.
--   net_revenue_retention_12m (the board's 12-month cohort NRR): MRR in the month of the
--   customers who were paying 12 months earlier ÷ the MRR those same customers paid 12 months
--   earlier. The cohort is every customer with MRR > 0 in the month 12 months back, on the plan
--   it was on then (org: all of them); their MRR today includes expansion, contraction and churn
--   (a churned customer counts 0; one who left and came back counts what it pays today);
--   customers who started paying since are not in it. Null until the data reaches 12 months back.
-- A row per entity and month that has either. The metrics m_net_revenue_retention and
-- m_net_revenue_retention_12m are the projections of the two columns.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

entity_months as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start,
        cast(mrr_amount as double precision) as mrr_amount,
        cast(expansion_mrr as double precision) as expansion_mrr,
        cast(contraction_mrr as double precision) as contraction_mrr,
        cast(churned_mrr as double precision) as churned_mrr
    from mrr_monthly
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start,
        cast(mrr_amount as double precision) as mrr_amount,
        cast(expansion_mrr as double precision) as expansion_mrr,
        cast(contraction_mrr as double precision) as contraction_mrr,
        cast(churned_mrr as double precision) as churned_mrr
    from mrr_monthly_org
),

month_over_month as (
    select
        this_month.entity_type,
        this_month.entity_id,
        this_month.month_start,
        previous_month.mrr_amount as opening_mrr,
        case
            when previous_month.mrr_amount > 0
                then (
                    previous_month.mrr_amount
                    + coalesce(this_month.expansion_mrr, 0)
                    - coalesce(this_month.contraction_mrr, 0)
                    - coalesce(this_month.churned_mrr, 0)
                ) / previous_month.mrr_amount
        end as net_revenue_retention
    from entity_months as this_month
    inner join entity_months as previous_month
        on
            this_month.entity_type = previous_month.entity_type
            and this_month.entity_id = previous_month.entity_id
            and this_month.month_start
            = cast({{ dbt.dateadd('month', 1, 'previous_month.month_start') }} as date)
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

twelve_months as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start,
        sum(starting_mrr) as cohort_starting_mrr,
        sum(current_mrr) as cohort_current_mrr,
        case when sum(starting_mrr) > 0 then sum(current_mrr) / sum(starting_mrr) end
            as net_revenue_retention_12m
    from retained
    group by plan_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start,
        sum(starting_mrr) as cohort_starting_mrr,
        sum(current_mrr) as cohort_current_mrr,
        case when sum(starting_mrr) > 0 then sum(current_mrr) / sum(starting_mrr) end
            as net_revenue_retention_12m
    from retained
    group by month_start
),

entity_month_keys as (
    select
        entity_type,
        entity_id,
        month_start
    from month_over_month
    union
    select
        entity_type,
        entity_id,
        month_start
    from twelve_months
),

final as (
    select
        cast(entity_month_keys.entity_type as varchar) as entity_type,
        cast(entity_month_keys.entity_id as varchar) as entity_id,
        cast(entity_month_keys.month_start as date) as month_start,
        cast(month_over_month.opening_mrr as double precision) as opening_mrr,
        cast(month_over_month.net_revenue_retention as double precision) as net_revenue_retention,
        cast(twelve_months.cohort_starting_mrr as double precision) as cohort_starting_mrr,
        cast(twelve_months.cohort_current_mrr as double precision) as cohort_current_mrr,
        cast(twelve_months.net_revenue_retention_12m as double precision)
            as net_revenue_retention_12m
    from entity_month_keys
    left join month_over_month
        on
            entity_month_keys.entity_type = month_over_month.entity_type
            and entity_month_keys.entity_id = month_over_month.entity_id
            and entity_month_keys.month_start = month_over_month.month_start
    left join twelve_months
        on
            entity_month_keys.entity_type = twelve_months.entity_type
            and entity_month_keys.entity_id = twelve_months.entity_id
            and entity_month_keys.month_start = twelve_months.month_start
)

select * from final

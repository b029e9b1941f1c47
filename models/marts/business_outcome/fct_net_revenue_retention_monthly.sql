-- Net revenue retention per plan (entity_type `plan`) and for the whole organisation (`org`)
-- and calendar month, one definition at two lags (macro net_revenue_retention_cohorts, the
-- SaaS convention): for month M and lag L the cohort is every customer with MRR > 0 in month
-- M − L, on the plan it was on then (org: all of them); NRR = the cohort's MRR in M, on any
-- plan, ÷ its MRR in M − L. Customers who started paying since are not in it, a churned
-- customer counts 0, one who left and came back counts what it pays in M, and a customer who
-- switched plans stays in the cohort of its starting plan (its expansion counts there, not
-- for the plan it moved to).
--   net_revenue_retention (monthly): L = 1; opening_mrr is the cohort's starting MRR (the
--   entity's MRR in the previous month) and cohort_current_mrr_1m its MRR in M;
--   cohort_starting_mrr_1m is opening_mrr where there is a cohort (null, not 0, without one).
--   fct_mrr_monthly reads the plan rows: the lag-1 cohort is computed here only.
--   net_revenue_retention_12m (the board's 12-month NRR): L = 12; cohort_starting_mrr and
--   cohort_current_mrr. Null until the data reaches 12 months back.
-- A row per entity and month that has a month-over-month pair (a movement row in M and in
-- M − 1: opening_mrr 0 and no NRR when nobody paid in M − 1) or a cohort at either lag. The
-- metrics m_net_revenue_retention and m_net_revenue_retention_12m project the two columns.
with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

nrr_1m as (
    {{ net_revenue_retention_cohorts('movements', 1) }}
),

nrr_12m as (
    {{ net_revenue_retention_cohorts('movements', 12) }}
),

entity_months as (
    select distinct
        'plan' as entity_type,
        plan_id as entity_id,
        month_start
    from movements
    union all
    select distinct
        'org' as entity_type,
        'org' as entity_id,
        month_start
    from movements
),

month_over_month as (
    select
        this_month.entity_type,
        this_month.entity_id,
        this_month.month_start
    from entity_months as this_month
    inner join entity_months as previous_month
        on
            this_month.entity_type = previous_month.entity_type
            and this_month.entity_id = previous_month.entity_id
            and this_month.month_start
            = cast({{ dbt.dateadd('month', 1, 'previous_month.month_start') }} as date)
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
    from nrr_1m
    union
    select
        entity_type,
        entity_id,
        month_start
    from nrr_12m
),

final as (
    select
        cast(entity_month_keys.entity_type as varchar) as entity_type,
        cast(entity_month_keys.entity_id as varchar) as entity_id,
        cast(entity_month_keys.month_start as date) as month_start,
        cast(
            coalesce(
                nrr_1m.cohort_starting_mrr,
                case when month_over_month.month_start is not null then 0 end
            ) as double precision
        ) as opening_mrr,
        cast(nrr_1m.net_revenue_retention as double precision) as net_revenue_retention,
        cast(nrr_12m.cohort_starting_mrr as double precision) as cohort_starting_mrr,
        cast(nrr_12m.cohort_current_mrr as double precision) as cohort_current_mrr,
        cast(nrr_12m.net_revenue_retention as double precision) as net_revenue_retention_12m,
        cast(nrr_1m.cohort_current_mrr as double precision) as cohort_current_mrr_1m,
        cast(nrr_1m.cohort_starting_mrr as double precision) as cohort_starting_mrr_1m
    from entity_month_keys
    left join month_over_month
        on
            entity_month_keys.entity_type = month_over_month.entity_type
            and entity_month_keys.entity_id = month_over_month.entity_id
            and entity_month_keys.month_start = month_over_month.month_start
    left join nrr_1m
        on
            entity_month_keys.entity_type = nrr_1m.entity_type
            and entity_month_keys.entity_id = nrr_1m.entity_id
            and entity_month_keys.month_start = nrr_1m.month_start
    left join nrr_12m
        on
            entity_month_keys.entity_type = nrr_12m.entity_type
            and entity_month_keys.entity_id = nrr_12m.entity_id
            and entity_month_keys.month_start = nrr_12m.month_start
)

select * from final

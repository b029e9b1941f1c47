-- One row per released feature and plan with eligible customers: customers paying (MRR > 0)
-- in the month the feature turns N weeks old (var `feature_adoption_weeks`, default 4), on a
-- plan whose services include the feature's service, and how many of them had used it by then
-- (their `feature_usage` counter shows a use). Features younger than N weeks at the end of the
-- data are left out (their outcome is not known yet).
-- Counted per plan, never expanded to one row per feature and customer: a plan that includes
-- every service makes that pairing features x customers (170 million rows for the 1,000-service
-- benchmark org, README "Performance"); the adopters are joined from the sparse first uses.
with

features as (
    select * from {{ ref('fct_work_items') }}
    where is_feature and released_at is not null
),

customer_months as (
    select * from {{ ref('int_revenue__customer_months') }}
    where mrr_amount > 0
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

first_use as (
    select * from {{ ref('int_signals__feature_first_uses') }}
),

data_end as (
    select * from {{ ref('int_signals__last_sample') }}
),

measured as (
    select
        features.work_item_id as feature_id,
        features.repo_full_name,
        features.issue_number,
        features.service_id,
        features.team_id,
        features.released_at,
        {{ dbt.dateadd('day', var('feature_adoption_weeks', 4) * 7, 'features.released_at') }} as measured_at
    from features
),

measured_months as (
    select
        measured.*,
        cast({{ dbt.date_trunc('month', 'measured.measured_at') }} as date) as measured_month
    from measured
    cross join data_end
    where measured.measured_at <= data_end.data_end_at
),

paying_per_plan as (
    select
        plan_id,
        month_start,
        count(*) as customer_count
    from customer_months
    group by plan_id, month_start
),

eligible as (
    select
        measured_months.feature_id,
        plan_services.plan_id,
        paying_per_plan.customer_count as eligible_customer_count
    from measured_months
    inner join plan_services on measured_months.service_id = plan_services.service_id
    inner join paying_per_plan
        on
            plan_services.plan_id = paying_per_plan.plan_id
            and measured_months.measured_month = paying_per_plan.month_start
),

early_uses as (
    -- customers who had used each feature by its N-week mark (first uses are sparse). Distinct
    -- is also a barrier for the join planner: joined to customer_months by month first, this
    -- would pair every feature with every paying customer of the month (a quarter of a billion
    -- rows on the benchmark org) before keeping the few who used it.
    select distinct
        measured_months.feature_id,
        measured_months.service_id,
        measured_months.measured_month,
        first_use.customer_id
    from first_use
    inner join measured_months
        on
            first_use.feature_id = measured_months.feature_id
            and first_use.first_used_at <= measured_months.measured_at
),

adopters as (
    -- of those, the customers eligible: paying that month on a plan with the feature's service
    select
        early_uses.feature_id,
        customer_months.plan_id,
        count(*) as adopted_customer_count
    from early_uses
    inner join customer_months
        on
            early_uses.customer_id = customer_months.customer_id
            and early_uses.measured_month = customer_months.month_start
    inner join plan_services
        on
            customer_months.plan_id = plan_services.plan_id
            and early_uses.service_id = plan_services.service_id
    group by early_uses.feature_id, customer_months.plan_id
),

final as (
    select
        cast(measured_months.feature_id as varchar) as feature_id,
        cast(measured_months.repo_full_name as varchar) as repo_full_name,
        cast(measured_months.issue_number as bigint) as issue_number,
        cast(measured_months.service_id as varchar) as service_id,
        cast(measured_months.team_id as varchar) as team_id,
        cast(eligible.plan_id as varchar) as plan_id,
        cast(measured_months.released_at as timestamp) as released_at,
        cast(measured_months.measured_at as timestamp) as measured_at,
        cast(measured_months.measured_month as date) as measured_month,
        cast(eligible.eligible_customer_count as integer) as eligible_customer_count,
        cast(coalesce(adopters.adopted_customer_count, 0) as integer) as adopted_customer_count,
        cast(coalesce(adopters.adopted_customer_count, 0) as double precision)
        / eligible.eligible_customer_count as adoption_rate
    from eligible
    inner join measured_months on eligible.feature_id = measured_months.feature_id
    left join adopters
        on
            eligible.feature_id = adopters.feature_id
            and eligible.plan_id = adopters.plan_id
)

select * from final

-- One row per released feature and eligible customer: a customer paying (MRR > 0) in the month
-- the feature turns N weeks old (var `feature_adoption_weeks`, default 4), on a plan whose
-- services include the feature's service. Adopted when the customer's `feature_usage`
-- counter shows a use by then. Features younger than N weeks at the end of the data are left
-- out (their outcome is not known yet).
with

features as (
    select * from {{ ref('fct_work_items') }}
    where is_feature and released_at is not null
),

customer_months as (
    select * from {{ ref('int_revenue__customer_months') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
),

usage as (
    select * from {{ ref('stg_signals__feature_usage_samples') }}
),

samples as (
    select * from {{ ref('stg_signals__samples') }}
),

data_end as (
    select max(sampled_at) as data_end_at from samples
),

first_use as (
    select
        feature_id,
        customer_id,
        min(sampled_at) as first_used_at
    from usage
    where usage_count > 0
    group by feature_id, customer_id
),

measured as (
    select
        features.*,
        {{ dbt.dateadd('day', var('feature_adoption_weeks', 4) * 7, 'features.released_at') }} as measured_at
    from features
),

eligible as (
    select
        measured.work_item_id as feature_id,
        measured.repo_full_name,
        measured.issue_number,
        measured.service_id,
        measured.team_id,
        customer_months.customer_id,
        customer_months.plan_id,
        measured.released_at,
        measured.measured_at
    from measured
    cross join data_end
    inner join plan_services on measured.service_id = plan_services.service_id
    inner join customer_months
        on
            plan_services.plan_id = customer_months.plan_id
            and customer_months.month_start
            = cast({{ dbt.date_trunc('month', 'measured.measured_at') }} as date)
    where customer_months.mrr_amount > 0 and measured.measured_at <= data_end.data_end_at
),

final as (
    select
        cast(eligible.feature_id as varchar) as feature_id,
        cast(eligible.repo_full_name as varchar) as repo_full_name,
        cast(eligible.issue_number as bigint) as issue_number,
        cast(eligible.service_id as varchar) as service_id,
        cast(eligible.team_id as varchar) as team_id,
        cast(eligible.customer_id as varchar) as customer_id,
        cast(eligible.plan_id as varchar) as plan_id,
        cast(eligible.released_at as timestamp) as released_at,
        cast(eligible.measured_at as timestamp) as measured_at,
        cast({{ dbt.date_trunc('month', 'eligible.measured_at') }} as date) as measured_month,
        cast(first_use.first_used_at as timestamp) as first_used_at,
        cast(
            coalesce(first_use.first_used_at <= eligible.measured_at, false) as boolean
        ) as is_adopted
    from eligible
    left join first_use
        on
            eligible.feature_id = first_use.feature_id
            and eligible.customer_id = first_use.customer_id
)

select * from final

-- Gross margin of the whole organisation per calendar month: the org's MRR
-- (fct_mrr_monthly_org) minus all its cloud cost of the month (fct_cloud_cost_daily), the
-- unallocated cost and the services no paying plan depends on included, so the plans of
-- fct_gross_margin_monthly do not add up to it by exactly that cost. Its own model so that no
-- table mixes the org total with its parts. Months as fct_gross_margin_monthly: those the cost
-- data reaches; is_complete: the cost exports cover the month from its first to its last day
-- (the metric reads only those months).
with

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

cost_bounds as (
    select
        min(cost_date) as first_date,
        max(cost_date) as last_date
    from cost_daily
),

org_cost as (
    select
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as month_start,
        sum(effective_cost) as effective_cost
    from cost_daily
    group by cast({{ dbt.date_trunc('month', 'cost_date') }} as date)
),

org_months as (
    select
        mrr_monthly_org.month_start,
        mrr_monthly_org.mrr_amount,
        mrr_monthly_org.active_customers,
        cast(coalesce(org_cost.effective_cost, 0) as double precision) as cloud_cost,
        {{ month_is_covered('mrr_monthly_org.month_start', 'cost_bounds.first_date',
                              'cost_bounds.last_date') }} as is_complete
    from mrr_monthly_org
    cross join cost_bounds
    left join org_cost
        on mrr_monthly_org.month_start = org_cost.month_start
    where
        mrr_monthly_org.month_start <= cost_bounds.last_date
        and cast({{ dbt.dateadd('month', 1, 'mrr_monthly_org.month_start') }} as date) > cost_bounds.first_date
),

final as (
    select
        month_start,
        cast(mrr_amount as decimal(18, 2)) as mrr_amount,
        cast(active_customers as integer) as active_customers,
        cast(cloud_cost as double precision) as cloud_cost,
        {{ gross_margin_columns('mrr_amount', 'cloud_cost') }},
        is_complete
    from org_months
)

select * from final

-- Gross margin per plan and calendar month: the plan's MRR (fct_mrr_monthly, end of month)
-- minus the cloud cost of the services the plan depends on (plan_services.csv), each service's
-- effective cost of the month apportioned over the plans that depend on it by their share of
-- its traffic. Requests carry no plan label, so a plan's share of a service's traffic is
-- estimated by its paying customers: the plan's active customers ÷ the active customers of
-- every plan that depends on the service, that month. Cost of a service no paying customer
-- depends on, and unallocated cost, reach no plan: they stay in the org's gross margin only
-- (m_gross_margin). is_complete: the cost exports cover the month from its first to its last
-- day (the metric reads only those months).
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
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

service_months as (
    select
        service_id,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as month_start,
        sum(effective_cost) as effective_cost
    from cost_daily
    where is_allocated
    group by service_id, cast({{ dbt.date_trunc('month', 'cost_date') }} as date)
),

plan_service_customers as (
    select
        plan_services.plan_id,
        plan_services.service_id,
        mrr_monthly.month_start,
        mrr_monthly.active_customers
    from plan_services
    inner join mrr_monthly
        on plan_services.plan_id = mrr_monthly.plan_id
    where mrr_monthly.active_customers > 0
),

service_customers as (
    select
        service_id,
        month_start,
        sum(active_customers) as active_customers
    from plan_service_customers
    group by service_id, month_start
),

apportioned as (
    select
        plan_service_customers.plan_id,
        plan_service_customers.month_start,
        sum(
            cast(service_months.effective_cost as double precision)
            * plan_service_customers.active_customers
            / service_customers.active_customers
        ) as cloud_cost,
        count(*) as costed_service_count
    from plan_service_customers
    inner join service_customers
        on
            plan_service_customers.service_id = service_customers.service_id
            and plan_service_customers.month_start = service_customers.month_start
    inner join service_months
        on
            plan_service_customers.service_id = service_months.service_id
            and plan_service_customers.month_start = service_months.month_start
    group by plan_service_customers.plan_id, plan_service_customers.month_start
),

plan_months as (
    select
        mrr_monthly.plan_id,
        mrr_monthly.month_start,
        mrr_monthly.mrr_amount,
        mrr_monthly.active_customers,
        coalesce(apportioned.cloud_cost, 0) as cloud_cost,
        coalesce(apportioned.costed_service_count, 0) as costed_service_count,
        {{ month_is_covered('mrr_monthly.month_start', 'cost_bounds.first_date',
                              'cost_bounds.last_date') }} as is_complete
    from mrr_monthly
    cross join cost_bounds
    left join apportioned
        on
            mrr_monthly.plan_id = apportioned.plan_id
            and mrr_monthly.month_start = apportioned.month_start
    where
        mrr_monthly.month_start <= cost_bounds.last_date
        and cast({{ dbt.dateadd('month', 1, 'mrr_monthly.month_start') }} as date) > cost_bounds.first_date
),

final as (
    select
        plan_id,
        month_start,
        cast(mrr_amount as decimal(18, 2)) as mrr_amount,
        cast(active_customers as integer) as active_customers,
        cast(cloud_cost as double precision) as cloud_cost,
        {{ gross_margin_columns('mrr_amount', 'cloud_cost') }},
        cast(costed_service_count as integer) as costed_service_count,
        is_complete
    from plan_months
)

select * from final

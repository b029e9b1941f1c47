-- Provisioned compute capacity: instance-hours billed per service and day (FOCUS
-- ConsumedQuantity of compute rows counted in hours, fct_cloud_cost_daily.capacity_hours),
-- and the org's sum; the unallocated entity holds the capacity no service's tag claims. Only
-- the days the service signals cover (capacity is read beside CPU and requests, and the days
-- of the daily metrics are the data's bounds for every status, docs/periods-and-status.md).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_request_count') }}
with

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

signal_bounds as (
    select
        min(signal_date) as first_date,
        max(signal_date) as last_date
    from signals_daily
),

service_days as (
    select
        cost_daily.service_id,
        cost_daily.cost_date,
        sum(cost_daily.capacity_hours) as capacity_hours
    from cost_daily
    cross join signal_bounds
    where
        cost_daily.cost_date >= signal_bounds.first_date
        and cost_daily.cost_date <= signal_bounds.last_date
    group by cost_daily.service_id, cost_daily.cost_date
    having sum(case when cost_daily.service_category = 'Compute' then 1 else 0 end) > 0
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        cost_date as period_start,
        'day' as grain,
        cast(capacity_hours as double precision) as value
    from service_days
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        cost_date as period_start,
        'day' as grain,
        cast(sum(capacity_hours) as double precision) as value
    from service_days
    group by cost_date
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

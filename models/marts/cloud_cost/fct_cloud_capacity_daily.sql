-- Provisioned compute capacity per entity (service, org) and UTC day: the instance-hours of
-- fct_cloud_cost_daily (FOCUS ConsumedQuantity of compute rows counted in hours) per service
-- with compute rows that day, the entity `unallocated` holding the capacity no service's tag
-- claims, and the org's sum. Only the days the service signals cover (capacity is read beside
-- CPU and requests, and the days of the daily metrics are the data's bounds for every status,
-- docs/periods-and-status.md). A service-day without compute rows has no row (not 0).
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

entity_days as (
    {{ entity_rollup('service_days', ['service', 'service_id'], ['cost_date'], ['capacity_hours'],
                     rollups=['org']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(cost_date as date) as cost_date,
        cast(capacity_hours as double precision) as capacity_hours
    from entity_days
)

select * from final

-- Provisioned compute capacity: instance-hours billed per service and day (FOCUS
-- ConsumedQuantity of compute rows counted in hours, fct_cloud_capacity_daily),
-- and the org's sum; the unallocated entity holds the capacity no service's tag claims. Only
-- the days the service signals cover (capacity is read beside CPU and requests, and the days
-- of the daily metrics are the data's bounds for every status, docs/periods-and-status.md).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_request_count') }}
with

capacity_daily as (
    select * from {{ ref('fct_cloud_capacity_daily') }}
),

metric_rows as (
    {{ metrics_entity_daily('capacity_daily', 'capacity_hours', 'cost_date') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

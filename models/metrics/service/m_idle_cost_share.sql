-- Idle cost share: the part of compute cost paying for unused CPU, per service, team and org
-- and week: Σ idle cost ÷ Σ compute cost, where a service's idle cost of a day is its compute
-- effective cost × (1 − its mean CPU utilisation that day) (fct_cloud_cost_daily). Only
-- compute cost of a service with CPU samples that day counts, so the unallocated entity (no
-- CPU) and days without samples are left out of both sums; no value without such cost.
-- Projection of fct_cloud_cost_periods.idle_cost_share (weeks).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_cpu_utilization') }}
-- depends_on: {{ ref('m_capacity_hours') }}
with

cloud_cost_periods as (
    select * from {{ ref('fct_cloud_cost_periods') }}
),

metric_rows as (
    {{ metrics_entity_periods('cloud_cost_periods', 'idle_cost_share', grain='week') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Idle cost share: the part of compute cost paying for unused CPU, per service, team and org
-- and week: Σ idle cost ÷ Σ compute cost, where a service's idle cost of a day is its compute
-- effective cost × (1 − its mean CPU utilisation that day) (fct_cloud_cost_daily). Only
-- compute cost of a service with CPU samples that day counts, so the unallocated entity (no
-- CPU) and days without samples are left out of both sums; no value without such cost.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_cpu_utilization') }}
-- depends_on: {{ ref('m_capacity_hours') }}
with

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

services as (
    select * from {{ ref('services') }}
),

{{ cloud_cost_service_periods('cost_daily', 'services') }},

weekly as (
    select * from cost_service_periods
    where grain = 'week'
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        period_start,
        grain,
        case
            when measured_compute_cost > 0 then idle_effective_cost / measured_compute_cost
        end as value
    from weekly
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        period_start,
        grain,
        case
            when sum(measured_compute_cost) > 0
                then sum(idle_effective_cost) / sum(measured_compute_cost)
        end as value
    from weekly
    where team_id is not null
    group by team_id, period_start, grain
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        period_start,
        grain,
        case
            when sum(measured_compute_cost) > 0
                then sum(idle_effective_cost) / sum(measured_compute_cost)
        end as value
    from weekly
    group by period_start, grain
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

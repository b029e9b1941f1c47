-- Cloud cost: effective (amortised, FOCUS EffectiveCost) cost per service, team and org, per
-- week (the catalog's grain) and calendar month, from fct_cloud_cost_daily. Cost no service
-- claims stays visible as the service `unallocated` (never spread over the services); a team
-- is the sum of its services, the org the sum of everything, unallocated included. Only the
-- weeks and months the cost exports cover from their first to their last day.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_capacity_hours') }}
-- depends_on: {{ ref('m_request_count') }}
with

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

services as (
    select * from {{ ref('services') }}
),

{{ cloud_cost_service_periods('cost_daily', 'services') }},

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        period_start,
        grain,
        effective_cost as value
    from cost_service_periods
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        period_start,
        grain,
        sum(effective_cost) as value
    from cost_service_periods
    where team_id is not null
    group by team_id, period_start, grain
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        period_start,
        grain,
        sum(effective_cost) as value
    from cost_service_periods
    group by period_start, grain
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

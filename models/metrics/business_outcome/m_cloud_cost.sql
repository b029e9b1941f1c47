-- Cloud cost: effective (amortised, FOCUS EffectiveCost) cost per service, team and org, per
-- week (the catalog's grain) and calendar month (fct_cloud_cost_periods.effective_cost). Cost
-- no service claims stays visible as the service `unallocated` (never spread over the
-- services); a team is the sum of its services, the org the sum of everything, unallocated
-- included. Only the weeks and months the cost exports cover from their first to their last
-- day.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_capacity_hours') }}
-- depends_on: {{ ref('m_request_count') }}
with

cloud_cost_periods as (
    select * from {{ ref('fct_cloud_cost_periods') }}
),

metric_rows as (
    {{ metrics_entity_periods('cloud_cost_periods', 'effective_cost') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

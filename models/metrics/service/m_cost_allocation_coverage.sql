-- Cost allocation coverage: the share of the org's effective cloud cost that reaches a service
-- of the ownership seed through its allocation tag, per week: allocated ÷ all effective cost.
-- The rest (untagged, shared, or tagged with a value no service has) is the `unallocated`
-- entity of cloud_cost. No value for a week without positive cost. Projection of
-- fct_cloud_cost_periods.cost_allocation_coverage (org, weeks).
with

cloud_cost_periods as (
    select * from {{ ref('fct_cloud_cost_periods') }}
),

metric_rows as (
    {{ metrics_entity_periods('cloud_cost_periods', 'cost_allocation_coverage', grain='week', entity_type='org') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Cost allocation coverage: the share of the org's effective cloud cost that reaches a service
-- of the ownership seed through its allocation tag, per week: allocated ÷ all effective cost.
-- The rest (untagged, shared, or tagged with a value no service has) is the `unallocated`
-- entity of cloud_cost. No value for a week without positive cost.
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
        'org' as entity_type,
        'org' as entity_id,
        period_start,
        grain,
        case
            when sum(effective_cost) > 0 then sum(allocated_effective_cost) / sum(effective_cost)
        end as value
    from cost_service_periods
    where grain = 'week'
    group by period_start, grain
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

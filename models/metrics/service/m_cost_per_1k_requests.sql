-- Cloud cost per 1,000 requests: effective cost ÷ requests served × 1,000, per service, team
-- and org, per week (the catalog's grain) and calendar month. A team's is its services' cost ÷
-- their requests; the org's is all cloud cost (unallocated included: it is spent to serve the
-- traffic too) ÷ all requests. No value without requests (the `unallocated` entity has none).
-- Projection of fct_cloud_cost_periods.cost_per_1k_requests.
-- formula input and causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_cloud_cost') }}
-- depends_on: {{ ref('m_request_count') }}
with

cloud_cost_periods as (
    select * from {{ ref('fct_cloud_cost_periods') }}
),

metric_rows as (
    {{ metrics_entity_periods('cloud_cost_periods', 'cost_per_1k_requests') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

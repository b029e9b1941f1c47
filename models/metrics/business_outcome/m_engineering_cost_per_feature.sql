-- A team's monthly cost (teams.csv `monthly_cost_usd`) divided by the features it released in
-- the month. A month without a released feature carries the whole monthly cost (cost ÷
-- max(features, 1)): the money was spent and nothing reached customers, so the value stays
-- defined and shows up as the worst case rather than as a gap. Org: total cost ÷ features.
-- Partial first and last months of the data carry the full monthly cost.
-- (fct_engineering_cost_monthly.cost_per_feature)
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_deployment_frequency') }}
-- depends_on: {{ ref('m_toil_share') }}
with

engineering_cost_monthly as (
    select * from {{ ref('fct_engineering_cost_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('engineering_cost_monthly', 'cost_per_feature') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

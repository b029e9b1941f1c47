-- Days from a feature issue being opened to the first release that shipped the PR closing it,
-- averaged over the features released in the month, per team and org. A month without a
-- released feature has no value (engineering_cost_per_feature shows those months).
-- (fct_time_to_market_monthly.time_to_market_days)
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_lead_time_hours') }}
-- depends_on: {{ ref('m_deployment_frequency') }}
with

time_to_market_monthly as (
    select * from {{ ref('fct_time_to_market_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('time_to_market_monthly', 'time_to_market_days') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

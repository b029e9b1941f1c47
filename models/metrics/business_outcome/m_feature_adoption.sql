-- Share of eligible paying customers who used a feature within N weeks of its release (var
-- `feature_adoption_weeks`, default 4), per plan and org, in the month the features turned
-- N weeks old (fct_feature_adoption_monthly.feature_adoption). A month in which no feature
-- turned N weeks old has no value.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

adoption_monthly as (
    select * from {{ ref('fct_feature_adoption_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('adoption_monthly', 'feature_adoption') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

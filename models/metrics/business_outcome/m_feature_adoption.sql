-- Share of eligible paying customers who used a feature within N weeks of its release (var
-- `feature_adoption_weeks`, default 4), per plan and org, in the month the features turned
-- N weeks old (fct_feature_adoption). A month in which no feature turned N weeks old has no
-- value.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

adoption as (
    select * from {{ ref('fct_feature_adoption') }}
),

metric_rows as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        measured_month as period_start,
        'month' as grain,
        cast(sum(adopted_customer_count) as double precision)
        / sum(eligible_customer_count) as value
    from adoption
    group by plan_id, measured_month
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        measured_month as period_start,
        'month' as grain,
        cast(sum(adopted_customer_count) as double precision)
        / sum(eligible_customer_count) as value
    from adoption
    group by measured_month
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

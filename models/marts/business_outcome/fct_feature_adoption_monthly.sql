-- Feature adoption per plan (entity_type `plan`) and for the whole organisation (`org`) and
-- month in which features turned N weeks old (var `feature_adoption_weeks`, default 4;
-- fct_feature_adoption.measured_month): the adopting customers over the eligible ones, pooled
-- over the month's feature-and-plan rows of fct_feature_adoption (a rate of the totals, not a
-- mean of feature rates); the org pools every plan's rows. A month in which no feature turned
-- N weeks old has no row. The metric m_feature_adoption is the projection of feature_adoption.
with

adoption as (
    select * from {{ ref('fct_feature_adoption') }}
),

entity_months as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        measured_month as month_start,
        sum(eligible_customer_count) as eligible_customer_count,
        sum(adopted_customer_count) as adopted_customer_count,
        cast(sum(adopted_customer_count) as double precision)
        / sum(eligible_customer_count) as feature_adoption
    from adoption
    group by plan_id, measured_month
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        measured_month as month_start,
        sum(eligible_customer_count) as eligible_customer_count,
        sum(adopted_customer_count) as adopted_customer_count,
        cast(sum(adopted_customer_count) as double precision)
        / sum(eligible_customer_count) as feature_adoption
    from adoption
    group by measured_month
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(eligible_customer_count as integer) as eligible_customer_count,
        cast(adopted_customer_count as integer) as adopted_customer_count,
        cast(feature_adoption as double precision) as feature_adoption
    from entity_months
)

select * from final

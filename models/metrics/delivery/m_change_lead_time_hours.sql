-- Coding + pickup + review + deploy time (sum of the weekly stage medians), hours.
with

coding as (
    select * from {{ ref('m_coding_time_hours') }}
),

pickup as (
    select * from {{ ref('m_pickup_time_hours') }}
),

review as (
    select * from {{ ref('m_review_time_hours') }}
),

deploy as (
    select * from {{ ref('m_deploy_time_hours') }}
),

metric_rows as (
    select
        coding.entity_type,
        coding.entity_id,
        coding.period_start,
        coding.grain,
        coding.value + pickup.value + review.value + deploy.value as value
    from coding
    inner join pickup
        on
            coding.entity_type = pickup.entity_type
            and coding.entity_id = pickup.entity_id
            and coding.period_start = pickup.period_start
    inner join review
        on
            coding.entity_type = review.entity_type
            and coding.entity_id = review.entity_id
            and coding.period_start = review.period_start
    inner join deploy
        on
            coding.entity_type = deploy.entity_type
            and coding.entity_id = deploy.entity_id
            and coding.period_start = deploy.period_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- When each customer first used each feature: the first `feature_usage` sample with a use
-- (usage_count > 0). One row per feature and customer that ever used it.
with

usage as (
    select * from {{ ref('stg_signals__feature_usage_samples') }}
),

final as (
    select
        feature_id,
        customer_id,
        min(sampled_at) as first_used_at
    from usage
    where usage_count > 0
    group by feature_id, customer_id
)

select * from final

-- When each customer first used each feature: the first `feature_usage` sample with a use
-- (usage_count > 0). One row per feature and customer that ever used it; a sample without a
-- feature or a customer label is no one's use.
--
-- INCREMENTAL (the usage samples are most of the benchmark's 55 million raw rows). A first use
-- only moves earlier, so a scheduled run reads the samples landed after the newest load the
-- table has read (`load_id`; on DuckDB as the source's next load, so it skips the older row
-- groups of the samples: macros/loads_holding_latest.sql) and keeps,
-- per feature and customer, the earlier of the first use built and the new samples' first.
-- It rewrites every row of the features those samples use (on Spark, the partitions
-- insert_overwrite replaces), replaced by feature and customer on DuckDB and PostgreSQL.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_config(unique_key=['feature_id', 'customer_id'], partition_by='feature_id')
) }}
{{ incremental_requires(['load_id']) }}

with

usage as (
    select
        feature_id,
        customer_id,
        sampled_at,
        load_id
    from {{ ref('stg_signals__feature_usage_samples') }}
    where
        usage_count > 0
        and feature_id is not null
        and customer_id is not null
        and {{ loads_landed_after_built('stg_signals__feature_usage_samples')
            if is_incremental() else 'true' }}
),

new_uses as (
    select
        feature_id,
        customer_id,
        min(sampled_at) as first_used_at,
        max(load_id) as load_id
    from usage
    group by feature_id, customer_id
),

candidates as (
    select * from new_uses
    {% if is_incremental() %}
        union all
        select
            feature_id,
            customer_id,
            first_used_at,
            load_id
        from {{ this }}
        where feature_id in (select feature_id from new_uses)
    {% endif %}
),

final as (
    select
        feature_id,
        customer_id,
        min(first_used_at) as first_used_at,
        max(load_id) as load_id
    from candidates
    group by feature_id, customer_id
)

select * from final

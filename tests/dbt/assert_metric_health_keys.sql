-- metric_health's keys, in one reading of the view (a view carries no constraints, and each
-- generic test would evaluate it again: ~1 s each on the benchmark's org). Returns the keys that
-- are null or repeated (a join to the ownership seeds, for one, could repeat a row). That each
-- metric is in metric_catalog needs no test: the view reads periods through an inner join on it.
with

health as (
    select
        metric_id,
        entity_type,
        entity_id
    from {{ ref('metric_health') }}
),

final as (
    select
        metric_id,
        entity_type,
        entity_id,
        count(*) as row_count
    from health
    group by metric_id, entity_type, entity_id
    having
        count(*) > 1
        or metric_id is null
        or entity_type is null
        or entity_id is null
)

select * from final

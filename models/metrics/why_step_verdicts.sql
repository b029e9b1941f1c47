-- The walk's step from every red complete period of metric_health's window, as `breadcrumbs
-- why` takes it (breadcrumbs/why/verdicts.py, docs/why-algorithm.md). dbt owns the table's shape
-- and its place in the lineage; its rows are written by the scheduled run (`breadcrumbs run`,
-- `breadcrumbs demo`) after each build, through the warehouse package, because the step's rules
-- (the customer-exposure test's exact sum of binomial tails among them) are the walk's Python.
-- A build adds no rows and keeps the run's (append of nothing); a full refresh empties it until
-- the run's step refills it.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with

metric_status as (
    select * from {{ ref('metric_status') }}
),

final as (
    select
        cast(metric_id as varchar) as metric_id,
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(grain as varchar) as grain,
        cast(period_start as date) as period_start,
        cast(status as varchar) as status,
        cast(coalesce(count_z_score, z_score) as double precision) as z_score,
        cast(null as boolean) as is_explained,
        cast(null as varchar) as step_edge,
        cast(null as varchar) as step_metric_id,
        cast(null as varchar) as step_entity_type,
        cast(null as varchar) as step_entity_id
    from metric_status
    where 1 = 0
)

select * from final

-- Share of the feature issues due in the month (their milestone's `due_on`) that closed as
-- completed on or before the due date, per team and org. Only due dates already past at the end
-- of the data count; a team with nothing due in a month has no value.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_lead_time_hours') }}
-- depends_on: {{ ref('m_pickup_time_hours') }}
with

work_items as (
    select * from {{ ref('fct_work_items') }}
),

data_end as (
    select max(updated_at) as data_end_at from {{ ref('stg_github__issues') }}
),

due as (
    select
        work_items.team_id,
        cast({{ dbt.date_trunc('month', 'work_items.due_on') }} as date) as month_start,
        case when work_items.is_closed_on_time then 1 else 0 end as on_time
    from work_items
    cross join data_end
    where
        work_items.is_feature
        and work_items.due_on is not null
        and work_items.due_on < data_end.data_end_at
        and work_items.team_id is not null
),

metric_rows as (
    select
        'team' as entity_type,
        team_id as entity_id,
        month_start as period_start,
        'month' as grain,
        cast(sum(on_time) as double precision) / count(*) as value
    from due
    group by team_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        cast(sum(on_time) as double precision) / count(*) as value
    from due
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

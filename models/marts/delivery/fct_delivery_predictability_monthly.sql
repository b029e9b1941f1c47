-- Feature issues due per team and calendar month of their milestone's `due_on` (entity_type
-- `team`) and for the whole organisation (`org`), and how many closed as completed on or before
-- the due date. Only due dates already past at the end of the issue data count; a team with
-- nothing due in a month has no row. The metric m_delivery_predictability projects
-- delivery_predictability.
with

work_items as (
    select * from {{ ref('fct_work_items') }}
),

data_end as (
    select * from {{ ref('int_work_items__data_end') }}
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

entity_months as (
    select
        'team' as entity_type,
        team_id as entity_id,
        month_start,
        count(*) as due_count,
        sum(on_time) as on_time_count
    from due
    group by team_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start,
        count(*) as due_count,
        sum(on_time) as on_time_count
    from due
    group by month_start
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(due_count as integer) as due_count,
        cast(on_time_count as integer) as on_time_count,
        cast(on_time_count as double precision) / due_count as delivery_predictability
    from entity_months
)

select * from final

-- Time to market per team (entity_type `team`) and for the whole organisation (`org`) and
-- calendar month (UTC) of release: days from a feature issue being opened to the first release
-- that shipped the PR closing it (fct_work_items.time_to_market_days), averaged over the
-- features released in the month. Only released features with an owning team count; a month
-- without a released feature has no row. The metric m_time_to_market_days is the projection of
-- time_to_market_days.
with

work_items as (
    select * from {{ ref('fct_work_items') }}
),

released as (
    select
        team_id,
        cast({{ dbt.date_trunc('month', 'released_at') }} as date) as month_start,
        time_to_market_days
    from work_items
    where is_feature and released_at is not null and team_id is not null
),

entity_months as (
    select
        'team' as entity_type,
        team_id as entity_id,
        month_start,
        count(*) as released_feature_count,
        avg(time_to_market_days) as time_to_market_days
    from released
    group by team_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start,
        count(*) as released_feature_count,
        avg(time_to_market_days) as time_to_market_days
    from released
    group by month_start
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(released_feature_count as integer) as released_feature_count,
        cast(time_to_market_days as double precision) as time_to_market_days
    from entity_months
)

select * from final

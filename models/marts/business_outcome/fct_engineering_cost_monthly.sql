-- Engineering cost per released feature, per team (entity_type `team`, every team of teams.csv)
-- and for the whole organisation (`org`) and calendar month (every month with signal data): the
-- team's monthly cost (teams.csv `monthly_cost_usd`) divided by the features it released in the
-- month (fct_work_items, by month of release). A month without a released feature carries the
-- whole monthly cost (cost ÷ max(features, 1)): the money was spent and nothing reached
-- customers, so the value stays defined and shows up as the worst case rather than as a gap.
-- Org: total cost ÷ total features. Partial first and last months of the data carry the full
-- monthly cost. The metric m_engineering_cost_per_feature is the projection of
-- cost_per_feature.
with

work_items as (
    select * from {{ ref('fct_work_items') }}
),

teams as (
    select * from {{ ref('teams') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

months as (
    select distinct cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start
    from signals_daily
),

released as (
    select
        team_id,
        cast({{ dbt.date_trunc('month', 'released_at') }} as date) as month_start,
        count(*) as feature_count
    from work_items
    where is_feature and released_at is not null and team_id is not null
    group by team_id, cast({{ dbt.date_trunc('month', 'released_at') }} as date)
),

team_months as (
    select
        teams.team_id,
        months.month_start,
        cast(teams.monthly_cost_usd as double precision) as monthly_cost,
        coalesce(released.feature_count, 0) as feature_count
    from teams
    cross join months
    left join released
        on teams.team_id = released.team_id and months.month_start = released.month_start
),

entity_months as (
    {{ entity_rollup('team_months', ['team', 'team_id'], ['month_start'],
                     ['monthly_cost', 'feature_count'], rollups=['org']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(monthly_cost as double precision) as engineering_cost_usd,
        cast(feature_count as integer) as released_feature_count,
        cast(
            monthly_cost / case when feature_count > 0 then feature_count else 1 end
            as double precision
        ) as cost_per_feature
    from entity_months
)

select * from final

-- A team's monthly cost (teams.csv `monthly_cost_usd`) divided by the features it released in
-- the month. A month without a released feature carries the whole monthly cost (cost ÷
-- max(features, 1)): the money was spent and nothing reached customers, so the value stays
-- defined and shows up as the worst case rather than as a gap. Org: total cost ÷ features.
-- Partial first and last months of the data carry the full monthly cost.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_deployment_frequency') }}
-- depends_on: {{ ref('m_toil_share') }}
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

metric_rows as (
    select
        'team' as entity_type,
        team_id as entity_id,
        month_start as period_start,
        'month' as grain,
        monthly_cost / case when feature_count > 0 then feature_count else 1 end as value
    from team_months
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        sum(monthly_cost)
        / case when sum(feature_count) > 0 then sum(feature_count) else 1 end as value
    from team_months
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

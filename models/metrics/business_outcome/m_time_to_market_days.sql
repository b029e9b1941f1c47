-- Days from a feature issue being opened to the first release that shipped the PR closing it,
-- averaged over the features released in the month, per team and org. A month without a
-- released feature has no value (engineering_cost_per_feature shows those months).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_lead_time_hours') }}
-- depends_on: {{ ref('m_deployment_frequency') }}
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

metric_rows as (
    select
        'team' as entity_type,
        team_id as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(time_to_market_days) as value
    from released
    group by team_id, month_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        avg(time_to_market_days) as value
    from released
    group by month_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

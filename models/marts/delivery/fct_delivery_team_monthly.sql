-- One row per team and calendar month (UTC), dense from the first to the last month with a
-- deployment or a deployed change: the DORA keys over the month, from the same facts and rules
-- as the weekly marts (macros/delivery_period_facts.sql, int_delivery__deployment_outcomes,
-- int_delivery__pull_requests): one definition, two grains. A month is complete when the
-- delivery data covers it from its first to its last day.
with

teams as (
    select * from {{ ref('teams') }}
),

deployments as (
    select * from {{ ref('int_delivery__deployment_outcomes') }}
),

pull_requests as (
    select * from {{ ref('int_delivery__pull_requests') }}
),

deployment_facts as (
    {{ delivery_deployment_facts('deployments', 'month', 'month_start') }}
),

deployed_pr_facts as (
    {{ delivery_deployed_change_facts('pull_requests', 'month', 'month_start') }}
),

activity_days as (
    select cast({{ dbt.date_trunc('day', 'finished_at') }} as date) as activity_date
    from deployments
    where is_successful and finished_at is not null
    union all
    select cast({{ dbt.date_trunc('day', 'deployed_at') }} as date) as activity_date
    from pull_requests
    where deployed_at is not null and not is_bot
),

bounds as (
    select
        min(activity_date) as first_date,
        max(activity_date) as last_date,
        cast({{ dbt.date_trunc('month', 'min(activity_date)') }} as date) as first_month,
        cast({{ dbt.date_trunc('month', 'max(activity_date)') }} as date) as last_month
    from activity_days
    having count(*) > 0
),

months as (
    {{ timestamp_series('bounds', 'first_month', 'last_month', '1 month', 'month_timestamp') }}
),

deployment_monthly as (
    select
        team_id,
        month_start,
        count(*) as deployment_count,
        sum(is_failed) as failed_deployment_count,
        sum(is_rework) as rework_deployment_count,
        {{ percentile('recovery_hours', 0.5) }} as failed_deployment_recovery_time_hours
    from deployment_facts
    group by team_id, month_start
),

deployed_pr_monthly as (
    select
        team_id,
        month_start,
        count(*) as changes_deployed_count,
        {{ percentile('lead_time_hours', 0.5) }} as change_lead_time_hours
    from deployed_pr_facts
    group by team_id, month_start
),

joined as (
    select
        teams.team_id,
        cast(months.month_timestamp as date) as month_start,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'cast(months.month_timestamp as date)')) }}
            as date
        ) as month_end,
        months.first_date,
        months.last_date,
        coalesce(deployment_monthly.deployment_count, 0) as deployment_count,
        coalesce(deployment_monthly.failed_deployment_count, 0) as failed_deployment_count,
        coalesce(deployment_monthly.rework_deployment_count, 0) as rework_deployment_count,
        deployment_monthly.failed_deployment_recovery_time_hours,
        coalesce(deployed_pr_monthly.changes_deployed_count, 0) as changes_deployed_count,
        deployed_pr_monthly.change_lead_time_hours
    from teams
    cross join months
    left join deployment_monthly
        on
            teams.team_id = deployment_monthly.team_id
            and cast(months.month_timestamp as date) = deployment_monthly.month_start
    left join deployed_pr_monthly
        on
            teams.team_id = deployed_pr_monthly.team_id
            and cast(months.month_timestamp as date) = deployed_pr_monthly.month_start
),

final as (
    select
        cast(team_id as varchar) as team_id,
        cast(month_start as date) as month_start,
        cast(first_date <= month_start and last_date >= month_end as boolean) as is_complete,
        cast(deployment_count as integer) as deployment_count,
        cast(failed_deployment_count as integer) as failed_deployment_count,
        cast(
            {{ delivery_safe_ratio('failed_deployment_count', 'deployment_count') }}
            as double precision
        ) as change_failure_rate,
        cast(failed_deployment_recovery_time_hours as double precision)
            as failed_deployment_recovery_time_hours,
        cast(changes_deployed_count as integer) as changes_deployed_count,
        cast(change_lead_time_hours as double precision) as change_lead_time_hours,
        cast(rework_deployment_count as integer) as rework_deployment_count,
        cast(
            {{ delivery_safe_ratio('rework_deployment_count', 'deployment_count') }}
            as double precision
        ) as deployment_rework_rate
    from joined
)

select * from final

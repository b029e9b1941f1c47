-- One delivery mart keyed by entity type: the weekly delivery metrics of every team
-- (entity_type `team`, entity_id the team) and of the whole organisation (`org`, `org`; computed
-- over all teams' facts, medians of all changes rather than medians of team medians, repos no
-- team owns included), dense: every entity x every Monday-UTC week from the first to the last
-- week with any delivery activity. Counts of empty weeks are 0; ratios, medians and percentiles
-- of a week with nothing to measure are null. Each fact counts in the week of the event that
-- completes it: deployments (and their failure, rework and recovery) by finish, lead time and
-- deploy time by production deploy, the other pull-request parts by merge, CI runs by
-- creation. Bot-authored pull requests are left out of pull-request metrics. The delivery
-- metrics (m_*) are projections of its columns; fct_delivery_team_weekly and
-- fct_delivery_org_weekly are its team and org rows under their former names (docs/marts.md).
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

ci_runs as (
    select * from {{ ref('int_delivery__ci_runs') }}
),

entities as (
    select
        'team' as entity_type,
        team_id as entity_id
    from teams
    union all
    select
        'org' as entity_type,
        'org' as entity_id
),

-- the deployment and deployed-change facts are shared with fct_delivery_team_monthly
-- (macros/delivery_period_facts.sql): one definition, two grains
deployment_facts as (
    {{ delivery_deployment_facts('deployments', 'week', 'week_start') }}
),

deployed_pr_facts as (
    {{ delivery_deployed_change_facts('pull_requests', 'week', 'week_start') }}
),

merged_pr_facts as (
    select
        team_id,
        cast({{ dbt.date_trunc('week', 'merged_at') }} as date) as week_start,
        cast(coding_minutes as double precision) / 60 as coding_time_hours,
        cast(pickup_minutes as double precision) / 60 as pickup_time_hours,
        cast(review_minutes as double precision) / 60 as review_time_hours,
        cast(cycle_minutes as double precision) / 60 as cycle_time_hours,
        cast(first_review_minutes as double precision) / 60 as first_review_time_hours,
        cast(lines_changed as double precision) as pr_size_lines,
        case when is_reviewed_before_merge then 1 else 0 end as is_reviewed,
        case when is_merged_without_approval then 1 else 0 end as is_merged_without_approval
    from pull_requests
    where merged_at is not null and not is_bot
),

ci_facts as (
    select
        team_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start,
        case when is_success then 1 else 0 end as is_success,
        case when is_flaky then 1 else 0 end as is_flaky,
        duration_minutes
    from ci_runs
    where is_completed
),

-- each fact once for its team (when the team is in teams.csv) and once for the org: an
-- equi-join and a union instead of `team = entity or entity is org`, which is a nested-loop
-- join over facts x entities (every CI run against every team at 200 teams)
deployment_facts_by_entity as (
    select
        'team' as entity_type,
        teams.team_id as entity_id,
        deployment_facts.*
    from deployment_facts
    inner join teams
        on deployment_facts.team_id = teams.team_id
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        deployment_facts.*
    from deployment_facts
),

deployed_pr_facts_by_entity as (
    select
        'team' as entity_type,
        teams.team_id as entity_id,
        deployed_pr_facts.*
    from deployed_pr_facts
    inner join teams
        on deployed_pr_facts.team_id = teams.team_id
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        deployed_pr_facts.*
    from deployed_pr_facts
),

merged_pr_facts_by_entity as (
    select
        'team' as entity_type,
        teams.team_id as entity_id,
        merged_pr_facts.*
    from merged_pr_facts
    inner join teams
        on merged_pr_facts.team_id = teams.team_id
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        merged_pr_facts.*
    from merged_pr_facts
),

ci_facts_by_entity as (
    select
        'team' as entity_type,
        teams.team_id as entity_id,
        ci_facts.*
    from ci_facts
    inner join teams
        on ci_facts.team_id = teams.team_id
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        ci_facts.*
    from ci_facts
),

deployment_weekly as (
    select
        deployment_facts.entity_type,
        deployment_facts.entity_id,
        deployment_facts.week_start,
        count(*) as deployment_count,
        count(distinct deployment_facts.deployment_date) as deployment_days,
        sum(deployment_facts.is_failed) as failed_deployment_count,
        sum(deployment_facts.is_rework) as rework_deployment_count,
        {{ percentile('deployment_facts.recovery_hours', 0.5) }} as failed_deployment_recovery_time_hours
    from deployment_facts_by_entity as deployment_facts
    group by deployment_facts.entity_type, deployment_facts.entity_id, deployment_facts.week_start
),

deployed_pr_weekly as (
    select
        deployed_pr_facts.entity_type,
        deployed_pr_facts.entity_id,
        deployed_pr_facts.week_start,
        count(*) as changes_deployed_count,
        {{ percentile('deployed_pr_facts.lead_time_hours', 0.5) }} as change_lead_time_hours,
        {{ percentile('deployed_pr_facts.lead_time_hours', 0.75) }} as change_lead_time_p75_hours,
        {{ percentile('deployed_pr_facts.deploy_time_hours', 0.5) }} as deploy_time_hours
    from deployed_pr_facts_by_entity as deployed_pr_facts
    group by deployed_pr_facts.entity_type, deployed_pr_facts.entity_id, deployed_pr_facts.week_start
),

merged_pr_weekly as (
    select
        merged_pr_facts.entity_type,
        merged_pr_facts.entity_id,
        merged_pr_facts.week_start,
        count(*) as merged_pull_request_count,
        sum(merged_pr_facts.is_reviewed) as reviewed_pull_request_count,
        sum(merged_pr_facts.is_merged_without_approval) as merged_without_approval_count,
        {{ percentile('merged_pr_facts.coding_time_hours', 0.5) }} as coding_time_hours,
        {{ percentile('merged_pr_facts.pickup_time_hours', 0.5) }} as pickup_time_hours,
        {{ percentile('merged_pr_facts.review_time_hours', 0.5) }} as review_time_hours,
        {{ percentile('merged_pr_facts.cycle_time_hours', 0.5) }} as cycle_time_hours,
        {{ percentile('merged_pr_facts.first_review_time_hours', 0.5) }} as first_review_time_hours,
        {{ percentile('merged_pr_facts.pr_size_lines', 0.5) }} as pr_size_lines
    from merged_pr_facts_by_entity as merged_pr_facts
    group by merged_pr_facts.entity_type, merged_pr_facts.entity_id, merged_pr_facts.week_start
),

ci_weekly as (
    select
        ci_facts.entity_type,
        ci_facts.entity_id,
        ci_facts.week_start,
        count(*) as ci_run_count,
        sum(ci_facts.is_success) as ci_success_count,
        sum(ci_facts.is_flaky) as ci_flaky_run_count,
        {{ percentile('ci_facts.duration_minutes', 0.5) }} as ci_duration_minutes
    from ci_facts_by_entity as ci_facts
    group by ci_facts.entity_type, ci_facts.entity_id, ci_facts.week_start
),

active_weeks as (
    select week_start from deployment_facts
    union all
    select week_start from merged_pr_facts
    union all
    select week_start from deployed_pr_facts
    union all
    select week_start from ci_facts
),

bounds as (
    select
        min(week_start) as first_week,
        max(week_start) as last_week
    from active_weeks
    having count(*) > 0
),

weeks as (
    {{ timestamp_series('bounds', 'first_week', 'last_week', '7 days', 'week_timestamp') }}
),

spine as (
    select
        entities.entity_type,
        entities.entity_id,
        cast(weeks.week_timestamp as date) as week_start
    from entities
    cross join weeks
),

joined as (
    select
        spine.entity_type,
        spine.entity_id,
        spine.week_start,
        cast(coalesce(deployment_weekly.deployment_count, 0) as integer) as deployment_count,
        cast(coalesce(deployment_weekly.deployment_days, 0) as integer) as deployment_days,
        cast(coalesce(deployment_weekly.failed_deployment_count, 0) as integer) as failed_deployment_count,
        cast(coalesce(deployment_weekly.rework_deployment_count, 0) as integer) as rework_deployment_count,
        deployment_weekly.failed_deployment_recovery_time_hours,
        cast(coalesce(deployed_pr_weekly.changes_deployed_count, 0) as integer) as changes_deployed_count,
        deployed_pr_weekly.change_lead_time_hours,
        deployed_pr_weekly.change_lead_time_p75_hours,
        deployed_pr_weekly.deploy_time_hours,
        cast(coalesce(merged_pr_weekly.merged_pull_request_count, 0) as integer) as merged_pull_request_count,
        cast(coalesce(merged_pr_weekly.reviewed_pull_request_count, 0) as integer) as reviewed_pull_request_count,
        cast(coalesce(merged_pr_weekly.merged_without_approval_count, 0) as integer) as merged_without_approval_count,
        merged_pr_weekly.coding_time_hours,
        merged_pr_weekly.pickup_time_hours,
        merged_pr_weekly.review_time_hours,
        merged_pr_weekly.cycle_time_hours,
        merged_pr_weekly.first_review_time_hours,
        merged_pr_weekly.pr_size_lines,
        cast(coalesce(ci_weekly.ci_run_count, 0) as integer) as ci_run_count,
        cast(coalesce(ci_weekly.ci_success_count, 0) as integer) as ci_success_count,
        cast(coalesce(ci_weekly.ci_flaky_run_count, 0) as integer) as ci_flaky_run_count,
        ci_weekly.ci_duration_minutes
    from spine
    left join deployment_weekly
        on
            spine.entity_type = deployment_weekly.entity_type
            and spine.entity_id = deployment_weekly.entity_id
            and spine.week_start = deployment_weekly.week_start
    left join deployed_pr_weekly
        on
            spine.entity_type = deployed_pr_weekly.entity_type
            and spine.entity_id = deployed_pr_weekly.entity_id
            and spine.week_start = deployed_pr_weekly.week_start
    left join merged_pr_weekly
        on
            spine.entity_type = merged_pr_weekly.entity_type
            and spine.entity_id = merged_pr_weekly.entity_id
            and spine.week_start = merged_pr_weekly.week_start
    left join ci_weekly
        on
            spine.entity_type = ci_weekly.entity_type
            and spine.entity_id = ci_weekly.entity_id
            and spine.week_start = ci_weekly.week_start
),

with_rates as (
    select
        joined.entity_type,
        joined.entity_id,
        joined.week_start,
        joined.deployment_count,
        joined.deployment_days,
        joined.failed_deployment_count,
        joined.failed_deployment_recovery_time_hours,
        joined.rework_deployment_count,
        joined.changes_deployed_count,
        joined.change_lead_time_hours,
        joined.change_lead_time_p75_hours,
        joined.merged_pull_request_count,
        joined.coding_time_hours,
        joined.pickup_time_hours,
        joined.review_time_hours,
        joined.deploy_time_hours,
        joined.cycle_time_hours,
        joined.pr_size_lines,
        joined.first_review_time_hours,
        joined.reviewed_pull_request_count,
        joined.merged_without_approval_count,
        joined.ci_run_count,
        joined.ci_success_count,
        joined.ci_flaky_run_count,
        joined.ci_duration_minutes,
        cast(sum(joined.deployment_count) over (
            partition by joined.entity_type, joined.entity_id
            order by joined.week_start
            rows between 3 preceding and current row
        ) as integer) as deployments_trailing_4w,
        -- weeks of data in that window: the band waits for four (docs/periods-and-status.md)
        count(*) over (
            partition by joined.entity_type, joined.entity_id
            order by joined.week_start
            rows between 3 preceding and current row
        ) as trailing_4w_weeks,
        {{ delivery_safe_ratio('joined.failed_deployment_count', 'joined.deployment_count') }} as change_failure_rate,
        {{ delivery_safe_ratio('joined.rework_deployment_count', 'joined.deployment_count') }}
            as deployment_rework_rate,
        {{ delivery_safe_ratio('joined.reviewed_pull_request_count', 'joined.merged_pull_request_count') }}
            as review_coverage,
        {{ delivery_safe_ratio('joined.merged_without_approval_count', 'joined.merged_pull_request_count') }}
            as merged_without_approval_rate,
        {{ delivery_safe_ratio('joined.ci_success_count', 'joined.ci_run_count') }} as ci_success_rate,
        {{ delivery_safe_ratio('joined.ci_flaky_run_count', 'joined.ci_run_count') }} as ci_flaky_rate
    from joined
),

weekly as (
    select
        entity_type,
        entity_id,
        week_start,
        deployment_count,
        deployment_days,
        deployments_trailing_4w,
        changes_deployed_count,
        change_lead_time_hours,
        change_lead_time_p75_hours,
        failed_deployment_count,
        change_failure_rate,
        failed_deployment_recovery_time_hours,
        rework_deployment_count,
        deployment_rework_rate,
        merged_pull_request_count,
        coding_time_hours,
        pickup_time_hours,
        review_time_hours,
        deploy_time_hours,
        cycle_time_hours,
        pr_size_lines,
        first_review_time_hours,
        reviewed_pull_request_count,
        review_coverage,
        merged_without_approval_count,
        merged_without_approval_rate,
        ci_run_count,
        ci_success_count,
        ci_success_rate,
        ci_flaky_run_count,
        ci_flaky_rate,
        ci_duration_minutes,
        case
            when trailing_4w_weeks < 4 then null
            when deployments_trailing_4w > 28 then 'elite'
            when deployments_trailing_4w >= 4 then 'high'
            when deployments_trailing_4w >= 1 then 'medium'
            else 'low'
        end as deployment_frequency_band,
        case
            when change_lead_time_hours < 24 then 'elite'
            when change_lead_time_hours < 24 * 7 then 'high'
            when change_lead_time_hours < 24 * 30 then 'medium'
            when change_lead_time_hours >= 24 * 30 then 'low'
        end as change_lead_time_band,
        case
            when failed_deployment_recovery_time_hours < 1 then 'elite'
            when failed_deployment_recovery_time_hours < 24 then 'high'
            when failed_deployment_recovery_time_hours < 24 * 7 then 'medium'
            when failed_deployment_recovery_time_hours >= 24 * 7 then 'low'
        end as failed_deployment_recovery_time_band
    from with_rates
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(week_start as date) as week_start,
        {% for column, data_type in delivery_weekly_columns() -%}
            cast({{ column }} as {{ data_type }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from weekly
)

select * from final

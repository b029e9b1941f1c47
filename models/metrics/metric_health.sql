-- The two tests *in practice* (docs/weekly-review.md), per metric and entity over a lookback window
-- (`metric_health_lookback_days`, 91 in dbt_project.yml, ending on the last day of complete data), so the
-- catalog can be pruned with evidence:
--   * red but unexplained: a red period from which the `why` walk's step finds nothing to follow
--     (no child entity, formula input or causal driver that qualifies, by every rule of the walk)
--     and whose metric is not a leaf that is its own root cause (a raw signal or a source fact).
--     The step is the walk's own, run by the scheduled run over the window after the build
--     (why_step_verdicts, breadcrumbs/why/verdicts.py); a red period without a verdict on its
--     current status row (a build the run's step has not followed yet) is counted as unjudged,
--     never as explained or unexplained. On a business outcome, red and unexplained is a code red.
--   * never moved: every complete period of the window green and within 2 robust z of its
--     baseline; a metric that never moved for any entity is a candidate to retire.
--   * no decision owner: the catalog names nobody (decided_by), or the entity has no owner
--     (a team missing from teams.csv, a service without a team).
--   * inactionable alerts: pages on the entity in the window that needed no action
--     (fct_incident_actionability), for service, team and org rows.
-- a view: it reads the verdicts the run's step writes after the build, whenever it is read. Its
-- relations are named without their database so it also reads from an attached copy of the
-- warehouse (the published file is written from one): the project's ref does that for views.
{{ config(materialized='view') }}

with

metric_status as (
    select * from {{ ref('metric_status') }}
),

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

services as (
    select * from {{ ref('services') }}
),

teams as (
    select * from {{ ref('teams') }}
),

verdicts as (
    select * from {{ ref('why_step_verdicts') }}
),

-- services keyed as entities: joined on both columns, a hash join (a join on
-- `entity_type = 'service' and entity_id = service_id` compares every row with every service)
service_entities as (
    select
        'service' as entity_type,
        service_id as entity_id,
        team_id
    from services
),

alerts as (
    select * from {{ ref('fct_incident_actionability') }}
),

window_bounds as (
    select
        max(period_end) as lookback_end,
        cast(
            {{ dbt.dateadd('day', 1 - var('metric_health_lookback_days'), 'max(period_end)') }}
            as date
        ) as lookback_start
    from metric_status
    where is_complete
),

-- complete periods of each metric at its catalog grain, inside the window
periods as (
    select
        metric_status.metric_id,
        metric_status.entity_type,
        metric_status.entity_id,
        metric_status.period_start,
        metric_status.period_end,
        metric_status.grain,
        metric_status.value,
        metric_status.baseline_median,
        metric_status.z_score,
        coalesce(metric_status.count_z_score, metric_status.z_score) as walk_z,
        metric_status.status
    from metric_status
    inner join metric_catalog
        on
            metric_status.metric_id = metric_catalog.metric_id
            and metric_status.grain = metric_catalog.grain
    cross join window_bounds
    where
        metric_status.is_complete
        and metric_status.period_start >= window_bounds.lookback_start
),

-- the walk's verdict on each red period, when it judged the period's current status row (the
-- same status and z: a verdict of an earlier build on a row that changed since is not this one)
judged as (
    select
        periods.*,
        case when periods.status = 'red' then not verdicts.is_explained end
            as is_unexplained_red,
        periods.status = 'red' and verdicts.is_explained is null as is_unjudged_red
    from periods
    left join verdicts
        on
            periods.metric_id = verdicts.metric_id
            and periods.entity_type = verdicts.entity_type
            and periods.entity_id = verdicts.entity_id
            and periods.grain = verdicts.grain
            and periods.period_start = verdicts.period_start
            and periods.status = verdicts.status
            and (
                periods.walk_z = verdicts.z_score
                or (periods.walk_z is null and verdicts.z_score is null)
            )
),

latest as (
    select
        metric_id,
        entity_type,
        entity_id,
        max(period_start) as latest_period_start
    from judged
    group by metric_id, entity_type, entity_id
),

rolled as (
    select
        judged.metric_id,
        judged.entity_type,
        judged.entity_id,
        judged.grain,
        count(*) as periods_in_lookback,
        sum(case when judged.status = 'red' then 1 else 0 end) as red_periods,
        sum(case when judged.status = 'amber' then 1 else 0 end) as amber_periods,
        sum(case when judged.is_unexplained_red then 1 else 0 end) as red_unexplained_periods,
        sum(case when judged.is_unjudged_red then 1 else 0 end) as red_unjudged_periods,
        max(abs(coalesce(judged.z_score, 0))) as max_abs_z_score,
        max(case when judged.period_start = latest.latest_period_start then judged.status end)
            as latest_status,
        max(
            case
                when judged.period_start = latest.latest_period_start and judged.is_unexplained_red
                    then 1
                else 0
            end
        ) as latest_unexplained,
        max(latest.latest_period_start) as latest_period_start
    from judged
    inner join latest
        on
            judged.metric_id = latest.metric_id
            and judged.entity_type = latest.entity_type
            and judged.entity_id = latest.entity_id
    group by judged.metric_id, judged.entity_type, judged.entity_id, judged.grain
),

entity_alerts as (
    select
        'service' as entity_type,
        alerts.service_id as entity_id,
        count(*) as alert_count,
        sum(case when alerts.is_inactionable then 1 else 0 end) as inactionable_alert_count
    from alerts
    cross join window_bounds
    where
        alerts.service_id is not null
        and alerts.created_date between window_bounds.lookback_start and window_bounds.lookback_end
    group by alerts.service_id
    union all
    select
        'team' as entity_type,
        alerts.team_id as entity_id,
        count(*) as alert_count,
        sum(case when alerts.is_inactionable then 1 else 0 end) as inactionable_alert_count
    from alerts
    cross join window_bounds
    where
        alerts.team_id is not null
        and alerts.created_date between window_bounds.lookback_start and window_bounds.lookback_end
    group by alerts.team_id
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        count(*) as alert_count,
        sum(case when alerts.is_inactionable then 1 else 0 end) as inactionable_alert_count
    from alerts
    cross join window_bounds
    where alerts.created_date between window_bounds.lookback_start and window_bounds.lookback_end
),

assessed as (
    select
        rolled.*,
        metric_catalog.layer,
        metric_catalog.value_lens,
        metric_catalog.owner,
        metric_catalog.decided_by,
        case
            when rolled.entity_type = 'team' then teams.team_id
            when rolled.entity_type = 'service' then service_entities.team_id
        end as owning_team_id,
        rolled.periods_in_lookback >= 3
        and rolled.red_periods + rolled.amber_periods = 0
        and rolled.max_abs_z_score < 2.0 as is_never_moved,
        coalesce(trim(metric_catalog.decided_by), '') = ''
        or (rolled.entity_type = 'team' and teams.team_id is null)
        or (rolled.entity_type = 'service' and service_entities.team_id is null)
            as is_missing_decision_owner,
        case
            when rolled.entity_type in ('service', 'team', 'org')
                then coalesce(entity_alerts.alert_count, 0)
        end as alert_count,
        case
            when rolled.entity_type in ('service', 'team', 'org')
                then coalesce(entity_alerts.inactionable_alert_count, 0)
        end as inactionable_alert_count
    from rolled
    inner join metric_catalog
        on rolled.metric_id = metric_catalog.metric_id
    left join teams
        on
            rolled.entity_type = 'team'
            and rolled.entity_id = teams.team_id
    left join service_entities
        on
            rolled.entity_type = service_entities.entity_type
            and rolled.entity_id = service_entities.entity_id
    left join entity_alerts
        on
            rolled.entity_type = entity_alerts.entity_type
            and rolled.entity_id = entity_alerts.entity_id
),

final as (
    select
        cast(assessed.metric_id as varchar) as metric_id,
        cast(assessed.entity_type as varchar) as entity_type,
        cast(assessed.entity_id as varchar) as entity_id,
        cast(assessed.grain as varchar) as grain,
        cast(assessed.layer as varchar) as layer,
        cast(assessed.value_lens as varchar) as value_lens,
        cast(assessed.owner as varchar) as metric_owner,
        cast(assessed.decided_by as varchar) as decided_by,
        cast(assessed.owning_team_id as varchar) as owning_team_id,
        cast(window_bounds.lookback_start as date) as lookback_start,
        cast(window_bounds.lookback_end as date) as lookback_end,
        cast(assessed.periods_in_lookback as integer) as periods_in_lookback,
        cast(assessed.red_periods as integer) as red_periods,
        cast(assessed.amber_periods as integer) as amber_periods,
        cast(assessed.red_unexplained_periods as integer) as red_unexplained_periods,
        cast(assessed.max_abs_z_score as double precision) as max_abs_z_score,
        cast(assessed.latest_period_start as date) as latest_period_start,
        cast(assessed.latest_status as varchar) as latest_status,
        assessed.red_unexplained_periods > 0 as is_red_unexplained,
        assessed.latest_unexplained = 1 as is_latest_red_unexplained,
        assessed.red_unexplained_periods > 0 and assessed.layer = 'business_outcome'
            as is_code_red,
        assessed.is_never_moved,
        min(case when assessed.is_never_moved then 1 else 0 end)
            over (partition by assessed.metric_id)
        = 1 as is_retire_candidate,
        assessed.is_missing_decision_owner,
        cast(assessed.alert_count as integer) as alert_count,
        cast(assessed.inactionable_alert_count as integer) as inactionable_alert_count,
        cast(assessed.red_unjudged_periods as integer) as red_unjudged_periods
    from assessed
    cross join window_bounds
)

select * from final

-- The two tests *in practice* (docs/weekly-review.md), per metric and entity over a lookback window
-- (`metric_health_lookback_days`, default 91, ending on the last day of complete data), so the
-- catalog can be pruned with evidence:
--   * red but unexplained: a red period for which one step of the `why` walk finds nothing —
--     no driver of the metric (formula or causal, metric_edges) anomalous in the direction that
--     explains the move (z >= var why_driver_z, 2.5, as the walk: the count test's z for customer
--     movements, the robust z otherwise, as `why` reads them) on a related entity in the same
--     or the lagged window (metric_catalog.lag_days: var why_lag_days, 2 days for daily, 7 for
--     weekly, 62 for monthly metrics, or the metric's driver_lag_days), and, for org and team
--     rows, no child entity (a team, service or plan of the org; a service of the team)
--     anomalous the same way. A leaf metric is its own root cause when its leaf_reason says it
--     is a raw signal or a source fact of the engineering data; a leaf driven outside
--     engineering data (new sales, pricing) is unexplained. On a business outcome this is a
--     code red.
--   * never moved: every complete period of the window green and within 2 robust z of its
--     baseline; a metric that never moved for any entity is a candidate to retire.
--   * no decision owner: the catalog names nobody (decided_by), or the entity has no owner
--     (a team missing from teams.csv, a service without a team).
--   * inactionable alerts: pages on the entity in the window that needed no action
--     (fct_incident_actionability), for service, team and org rows.
with

metric_status as (
    select * from {{ ref('metric_status') }}
),

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

metric_edges as (
    select * from {{ ref('metric_edges') }}
),

services as (
    select * from {{ ref('services') }}
),

teams as (
    select * from {{ ref('teams') }}
),

plan_services as (
    select * from {{ ref('plan_services') }}
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
            {{ dbt.dateadd('day', 1 - var('metric_health_lookback_days', 91), 'max(period_end)') }}
            as date
        ) as lookback_start
    from metric_status
    where is_complete
),

-- the periods a driver or child can be read from: a red period's drivers start at most the
-- longest lag before the window (a full scan of the history joined per driver otherwise)
recent_status as (
    select metric_status.*
    from metric_status
    cross join window_bounds
    where
        metric_status.period_start >= {{ dbt.dateadd(
            'day',
            '-(select max(metric_catalog.lag_days) from metric_catalog)',
            'window_bounds.lookback_start'
        ) }}
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
        metric_status.status,
        metric_catalog.direction,
        metric_catalog.driver_count,
        metric_catalog.leaf_reason,
        metric_catalog.lag_days
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

-- the way the value moved: +1 up, -1 down; when flat, its adverse side
red_periods as (
    select
        periods.*,
        case
            when periods.value > periods.baseline_median then 1.0
            when periods.value < periods.baseline_median then -1.0
            when periods.direction = 'higher_is_better' then -1.0
            else 1.0
        end as moved
    from periods
    where periods.status = 'red'
),

entities as (
    select distinct
        entity_type,
        entity_id
    from metric_status
),

-- how entities relate through ownership (services.csv, plan_services.csv), and the org to all
entity_links as (
    select
        'service' as from_type,
        service_id as from_id,
        'team' as to_type,
        team_id as to_id
    from services
    union all
    select
        'team' as from_type,
        team_id as from_id,
        'service' as to_type,
        service_id as to_id
    from services
    union all
    select
        'service' as from_type,
        service_id as from_id,
        'plan' as to_type,
        plan_id as to_id
    from plan_services
    union all
    select
        'plan' as from_type,
        plan_id as from_id,
        'service' as to_type,
        service_id as to_id
    from plan_services
    union all
    select distinct
        'team' as from_type,
        services.team_id as from_id,
        'plan' as to_type,
        plan_services.plan_id as to_id
    from services
    inner join plan_services on services.service_id = plan_services.service_id
    union all
    select distinct
        'plan' as from_type,
        plan_services.plan_id as from_id,
        'team' as to_type,
        services.team_id as to_id
    from services
    inner join plan_services on services.service_id = plan_services.service_id
    union all
    select
        'org' as from_type,
        'org' as from_id,
        entity_type as to_type,
        entity_id as to_id
    from entities
    where entity_type <> 'org'
),

metric_entity_types as (
    select distinct
        metric_id,
        entity_type
    from metric_status
),

-- drivers anomalous the way that explains the move: the same entity when the driver has that
-- entity type, else entities related through ownership. Two equi-joins on the driver's entity
-- (not one join with an OR, which DuckDB runs as metric_id x every entity and period: minutes
-- on the 1,000-service benchmark org, README "Performance").
red_edges as (
    select
        red_periods.metric_id,
        red_periods.entity_type,
        red_periods.entity_id,
        red_periods.period_start,
        red_periods.period_end,
        red_periods.lag_days,
        red_periods.moved,
        metric_edges.driver_metric_id,
        case when metric_edges.sign = 'negative' then -1.0 else 1.0 end as edge_sign,
        same_type.metric_id is not null as driver_has_entity_type
    from red_periods
    inner join metric_edges
        on red_periods.metric_id = metric_edges.metric_id
    left join metric_entity_types as same_type
        on
            metric_edges.driver_metric_id = same_type.metric_id
            and red_periods.entity_type = same_type.entity_type
),

driver_entities as (
    select
        red_edges.*,
        red_edges.entity_type as driver_entity_type,
        red_edges.entity_id as driver_entity_id
    from red_edges
    where red_edges.driver_has_entity_type
    union all
    select
        red_edges.*,
        entity_links.to_type as driver_entity_type,
        entity_links.to_id as driver_entity_id
    from red_edges
    inner join entity_links
        on
            red_edges.entity_type = entity_links.from_type
            and red_edges.entity_id = entity_links.from_id
    where not red_edges.driver_has_entity_type
),

driver_hits as (
    select distinct
        driver_entities.metric_id,
        driver_entities.entity_type,
        driver_entities.entity_id,
        driver_entities.period_start
    from driver_entities
    inner join recent_status as driver
        on
            driver_entities.driver_metric_id = driver.metric_id
            and driver_entities.driver_entity_type = driver.entity_type
            and driver_entities.driver_entity_id = driver.entity_id
            and driver.period_start
            >= {{ dbt.dateadd('day', '-driver_entities.lag_days', 'driver_entities.period_start') }}
            and driver_entities.period_end >= driver.period_start
    where
        coalesce(driver.count_z_score, driver.z_score, 0)
        * driver_entities.moved
        * driver_entities.edge_sign
        >= {{ var('why_driver_z') }}
),

-- the dimension scan's step: a child entity of an org or team row moved the same way
child_hits as (
    select distinct
        red_periods.metric_id,
        red_periods.entity_type,
        red_periods.entity_id,
        red_periods.period_start
    from red_periods
    inner join recent_status as child
        on
            red_periods.metric_id = child.metric_id
            and red_periods.grain = child.grain
            and red_periods.period_start = child.period_start
    left join service_entities
        on
            child.entity_type = service_entities.entity_type
            and child.entity_id = service_entities.entity_id
    where
        (
            (red_periods.entity_type = 'org' and child.entity_type <> 'org')
            or (
                red_periods.entity_type = 'team'
                and service_entities.team_id = red_periods.entity_id
            )
        )
        and coalesce(child.count_z_score, child.z_score, 0) * red_periods.moved
        >= {{ var('why_driver_z') }}
),

judged as (
    select
        periods.*,
        case
            when periods.status <> 'red' then null
            when driver_hits.metric_id is not null or child_hits.metric_id is not null then false
            when
                periods.driver_count = 0
                and (periods.leaf_reason like 'raw signal%' or periods.leaf_reason like 'source fact%')
                then false
            else true
        end as is_unexplained_red
    from periods
    left join driver_hits
        on
            periods.metric_id = driver_hits.metric_id
            and periods.entity_type = driver_hits.entity_type
            and periods.entity_id = driver_hits.entity_id
            and periods.period_start = driver_hits.period_start
    left join child_hits
        on
            periods.metric_id = child_hits.metric_id
            and periods.entity_type = child_hits.entity_type
            and periods.entity_id = child_hits.entity_id
            and periods.period_start = child_hits.period_start
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
        cast(assessed.inactionable_alert_count as integer) as inactionable_alert_count
    from assessed
    cross join window_bounds
)

select * from final

-- The honest lower bound for this engine (README "Performance"): the headline marts computed
-- straight from the raw tables and the seeds in one DuckDB script, no views, no tests, no
-- intermediate tables beyond what the results need. benchmarks/run.py times it after the dbt
-- build and checks (benchmarks/compare.py) that every row equals the dbt output:
--   bench_hand.slo_daily        = marts.fct_slo_daily            (SLO attainment)
--   bench_hand.mrr_movements    = marts.fct_mrr_movements        (MRR movements)
--   bench_hand.metric_values    = metrics.metric_values for the signal, SLO and MRR metrics
--   bench_hand.dora_team_weekly = the DORA columns of marts.fct_delivery_team_weekly
--                                 (deployment frequency, lead time, change failure rate,
--                                 recovery time, rework; compare.DORA_COLUMNS)
-- DuckDB dialect on purpose (this file is not a dbt model).
create schema if not exists bench_hand;

-- signals: one pivot of the raw samples per service and hour, on the grid of every seeded
-- service x every hour from the first to the last sampled hour (hours without samples stay,
-- with nulls). A sample is a `[1h]` range query stamped at the end of the hour it covers, so
-- the sample stamped at t belongs to the hour starting at floor(t - 30 minutes).
create or replace temp table service_hours as
with hourly as (
    select
        service as service_id,
        date_trunc('hour', make_timestamp(epoch_us(ts)) - interval 30 minute) as hour_at,
        sum(value) filter (where metric = 'requests') as request_count,
        sum(value) filter (where metric = 'errors') as error_count,
        sum(value::decimal(38, 9)) filter (where metric = 'cpu')::double
            / nullif(count(value) filter (where metric = 'cpu'), 0) as cpu_utilization,
        max(value) filter (where metric = 'latency_p95') * 1000 as latency_p95_ms
    from raw_signals.samples
    where service is not null and metric in ('requests', 'errors', 'cpu', 'latency_p95')
    group by all
),
grid as (
    select s.service_id, s.team_id, g.hour_at
    from seeds.services as s
    cross join (
        select unnest(generate_series(min(hour_at), max(hour_at), interval 1 hour)) as hour_at
        from hourly
    ) as g
)
select
    g.service_id,
    g.team_id,
    g.hour_at,
    h.request_count::bigint as request_count,
    h.error_count::bigint as error_count,
    h.cpu_utilization,
    h.latency_p95_ms,
    coalesce(h.request_count is not null and h.error_count is not null
             and h.cpu_utilization is not null and h.latency_p95_ms is not null, false)
        as is_complete
from grid as g
left join hourly as h using (service_id, hour_at);

create or replace temp table service_days as
with targets as (
    select
        service_id,
        max(case when slo = 'availability' then target end)::double as availability_target,
        max(case when slo = 'latency' then target end)::double as latency_target,
        max(case when slo = 'latency' then threshold_ms end)::double as latency_threshold_ms
    from seeds.slo_targets
    group by service_id
)
select
    h.service_id,
    h.team_id,
    cast(h.hour_at as date) as signal_date,
    sum(h.request_count)::bigint as request_count,
    sum(h.error_count)::bigint as error_count,
    avg(h.cpu_utilization) as cpu_utilization_avg,
    avg(h.latency_p95_ms) as latency_p95_ms_avg,
    count(*) filter (where h.latency_p95_ms <= t.latency_threshold_ms)::integer
        as latency_good_hours,
    count(h.latency_p95_ms)::integer as latency_observed_hours,
    any_value(t.availability_target) as availability_target,
    any_value(t.latency_target) as latency_target,
    any_value(t.latency_threshold_ms) as latency_threshold_ms
from service_hours as h
left join targets as t using (service_id)
group by all;

create or replace table bench_hand.slo_daily as
with w as (
    select
        *,
        sum(request_count) over win as window_request_count,
        sum(error_count) over win as window_error_count
    from service_days
    where availability_target is not null or latency_target is not null
    window win as (partition by service_id order by signal_date
                   rows between 27 preceding and current row)
)
select
    service_id,
    team_id,
    signal_date,
    request_count,
    error_count,
    1 - error_count::double / nullif(request_count, 0) as availability,
    availability_target,
    latency_good_hours,
    latency_observed_hours,
    latency_good_hours::double / nullif(latency_observed_hours, 0) as latency_attainment,
    latency_target,
    latency_threshold_ms,
    (error_count::double / nullif(request_count, 0)) / nullif(1 - availability_target, 0)
        as burn_rate,
    1 - window_error_count::double / nullif(window_request_count * (1 - availability_target), 0)
        as error_budget_remaining,
    coalesce(1 - error_count::double / nullif(request_count, 0) < availability_target, false)
        as is_below_availability_target,
    coalesce(latency_good_hours::double / nullif(latency_observed_hours, 0) < latency_target,
             false) as is_below_latency_target,
    coalesce(1 - window_error_count::double
             / nullif(window_request_count * (1 - availability_target), 0) < 0, false)
        as is_slo_breached
from w;

-- revenue: recurring invoice lines -> customer x month MRR -> movements
create or replace temp table customer_months as
with lines as (
    select
        i.customer as customer_id,
        coalesce(l.parent__subscription_item_details__subscription,
                 i.parent__subscription_details__subscription) as subscription_id,
        coalesce(p.lookup_key, p.metadata__plan, p.product__metadata__plan, s.metadata__plan,
                 l.pricing__price_details__product, p.product__id) as plan_id,
        l.currency,
        make_timestamp(l.period__start * 1000000) as period_start_at,
        make_timestamp(l.period__end * 1000000) as period_end_at,
        make_timestamp(s.ended_at * 1000000) as subscription_ended_at,
        cast(
            cast(coalesce(p.unit_amount * coalesce(l.quantity, 1), l.amount)
                 as decimal(18, 4))
            * case when i.subtotal > 0
                   then cast(coalesce(i.total_excluding_tax, i.total) as decimal(18, 4))
                        / i.subtotal
                   else 1 end
            / case p.recurring__interval
                when 'year' then 12 * coalesce(p.recurring__interval_count, 1)
                when 'week' then cast(12 as decimal(18, 4)) / 52
                    * coalesce(p.recurring__interval_count, 1)
                when 'day' then cast(12 as decimal(18, 4)) / 365
                    * coalesce(p.recurring__interval_count, 1)
                else coalesce(p.recurring__interval_count, 1)
            end / 100 as decimal(18, 2)) as mrr_amount
    from raw_revenue.invoices__lines__data as l
    inner join raw_revenue.invoices as i on l._dlt_parent_id = i._dlt_id
    left join raw_revenue.prices as p on l.pricing__price_details__price = p.id
    left join raw_revenue.subscriptions as s
        on coalesce(l.parent__subscription_item_details__subscription,
                    i.parent__subscription_details__subscription) = s.id
    where (p.recurring__interval is not null
           or l.parent__type = 'subscription_item_details')
        and l.amount > 0
        and i.status in ('paid', 'open')
),
month_ends as (
    select
        cast(m as date) as month_start,
        cast(m + interval 1 month as timestamp) as month_end_at
    from (
        select unnest(generate_series(
            date_trunc('month', (select min(period_start_at) from lines)),
            date_trunc('month', (select max(make_timestamp(created * 1000000))
                                 from raw_revenue.invoices)) - interval 1 month,
            interval 1 month)) as m
    )
),
covering as (
    select
        l.*,
        me.month_start,
        max(l.period_start_at) over (partition by l.subscription_id, me.month_start)
            as latest_period_start_at
    from lines as l
    inner join month_ends as me
        on l.period_start_at < me.month_end_at and l.period_end_at >= me.month_end_at
        and (l.subscription_ended_at is null or l.subscription_ended_at >= me.month_end_at)
),
mrr as (
    select customer_id, month_start, max(plan_id) as plan_id, max(currency) as currency,
           sum(mrr_amount) as mrr_amount
    from covering
    where period_start_at = latest_period_start_at
    group by all
)
select
    f.customer_id,
    me.month_start,
    mrr.plan_id,
    mrr.currency,
    cast(coalesce(mrr.mrr_amount, 0) as decimal(18, 2)) as mrr_amount
from (select customer_id, min(month_start) as first_month from mrr group by all) as f
inner join month_ends as me on f.first_month <= me.month_start
left join mrr using (customer_id, month_start);

create or replace table bench_hand.mrr_movements as
with lagged as (
    select
        *,
        coalesce(lag(mrr_amount) over c, 0) as previous_mrr_amount,
        lag(plan_id) over c as previous_plan_id,
        lag(currency) over c as previous_currency,
        coalesce(max(case when mrr_amount > 0 then 1 else 0 end) over (
            partition by customer_id order by month_start
            rows between unbounded preceding and 1 preceding), 0) as has_paid_before
    from customer_months
    window c as (partition by customer_id order by month_start)
),
classified as (
    select
        *,
        case
            when previous_mrr_amount = 0 and mrr_amount > 0 and has_paid_before = 0 then 'new'
            when previous_mrr_amount = 0 and mrr_amount > 0 then 'reactivation'
            when previous_mrr_amount > 0 and mrr_amount = 0 then 'churned'
            when mrr_amount > previous_mrr_amount then 'expansion'
            when mrr_amount < previous_mrr_amount then 'contraction'
            when mrr_amount > 0 then 'retained'
            else 'inactive'
        end as movement
    from lagged
)
select
    customer_id,
    coalesce(plan_id, previous_plan_id) as plan_id,
    month_start,
    coalesce(currency, previous_currency) as currency,
    mrr_amount,
    previous_mrr_amount::decimal(18, 2) as previous_mrr_amount,
    (case when movement = 'new' then mrr_amount else 0 end)::decimal(18, 2) as new_mrr,
    (case when movement = 'expansion' then mrr_amount - previous_mrr_amount else 0 end)
        ::decimal(18, 2) as expansion_mrr,
    (case when movement = 'contraction' then previous_mrr_amount - mrr_amount else 0 end)
        ::decimal(18, 2) as contraction_mrr,
    (case when movement = 'churned' then previous_mrr_amount else 0 end)::decimal(18, 2)
        as churned_mrr,
    (case when movement = 'reactivation' then mrr_amount else 0 end)::decimal(18, 2)
        as reactivation_mrr,
    movement
from classified
where movement != 'inactive';

-- metric_values of the signal, SLO and MRR metrics (docs/metrics.md shape)
create or replace table bench_hand.metric_values as
with service_rows as (
    select 'request_count' as metric_id, 'service' as entity_type, service_id as entity_id,
           signal_date as period_start, request_count::double as value from service_days
    union all
    select 'error_count', 'service', service_id, signal_date, error_count::double
    from service_days
    union all
    select 'cpu_utilization', 'service', service_id, signal_date, cpu_utilization_avg
    from service_days
    union all
    select 'latency_p95_ms', 'service', service_id, signal_date, latency_p95_ms_avg
    from service_days
    union all
    select 'error_budget_remaining', 'service', service_id, signal_date, error_budget_remaining
    from bench_hand.slo_daily
),
org_days as (
    select signal_date, sum(request_count)::double as requests,
           sum(error_count)::double as errors
    from service_days group by all
),
counts as (
    select * from service_rows where metric_id in ('request_count', 'error_count')
    union all
    select 'request_count', 'org', 'org', signal_date, requests from org_days
    union all
    select 'error_count', 'org', 'org', signal_date, errors from org_days
),
error_rate as (
    select 'error_rate' as metric_id, r.entity_type, r.entity_id, r.period_start,
           case when r.value > 0 then coalesce(e.value, 0) / r.value end as value
    from counts as r
    left join counts as e
        on e.metric_id = 'error_count' and r.entity_type = e.entity_type
        and r.entity_id = e.entity_id and r.period_start = e.period_start
    where r.metric_id = 'request_count'
),
mrr_months as (
    select plan_id, month_start, sum(mrr_amount) as mrr, sum(new_mrr) as new_mrr,
           sum(expansion_mrr) as expansion_mrr, sum(contraction_mrr) as contraction_mrr,
           sum(churned_mrr) as churned_mrr, sum(reactivation_mrr) as reactivation_mrr
    from bench_hand.mrr_movements
    group by all
),
mrr_rows as (
    select metric_id, entity_type, entity_id, month_start as period_start, value
    from (
        select 'plan' as entity_type, plan_id as entity_id, * exclude (plan_id)
        from mrr_months
        union all
        select 'org', 'org', month_start, sum(mrr), sum(new_mrr), sum(expansion_mrr),
               sum(contraction_mrr), sum(churned_mrr), sum(reactivation_mrr)
        from mrr_months group by month_start
    ) unpivot (value for metric_id in (
        mrr, new_mrr, expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr))
)
select metric_id, entity_type, entity_id, period_start, 'day' as grain, value
from (
    select * from service_rows where metric_id not in ('request_count', 'error_count')
    union all select * from counts
    union all select * from error_rate
    union all
    select 'availability', entity_type, entity_id, period_start, 1 - value from error_rate
)
where value is not null
union all
select metric_id, entity_type, entity_id, period_start, 'month', value::double
from mrr_rows
where value is not null;

-- delivery: DORA per team and Monday-UTC week, by the rules of models/intermediate/delivery
-- and macros/delivery_rules.sql (default vars: production environments `production`/`prod`,
-- hotfix pattern `hotfix%`, no deployment fallback, walks of at most 5,000 commits, failure
-- rule `remediation` with a 24-hour window, 6-hour cause lookback, anomaly baseline of the
-- same hour over 14 days (at least 7), ratio 1.25)
create or replace temp table delivery_repo_services as
select
    ranked.repo_full_name,
    ranked.service_id,
    services.team_id
from (
    select
        repo_full_name,
        service_id,
        row_number() over (partition by repo_full_name order by preference, service_id)
            as candidate_rank
    from (
        select repo_full_name, service_id,
               case when coalesce(path_prefix, '') = '' then 0 else 1 end as preference
        from seeds.repos
        union all
        select repo_full_name, service_id, 2 from seeds.services
    )
    where repo_full_name is not null
) as ranked
inner join seeds.services as services on ranked.service_id = services.service_id
where ranked.candidate_rank = 1;

-- production deployments: outcome from the latest status other than `inactive`, previous
-- successful deployment of the same service, repo and environment (over every environment)
create or replace temp table delivery_deployments as
with latest_statuses as (
    select deployment_id, state, make_timestamp(epoch_us(created_at)) as created_at
    from raw_github.deployment_statuses
    where state <> 'inactive'
    qualify row_number() over (partition by deployment_id order by created_at desc, id desc) = 1
),
all_deployments as (
    select
        cast(d.id as varchar) as deployment_id,
        d.repo_full_name,
        rs.service_id,
        rs.team_id,
        d.sha as commit_sha,
        lower(d.environment) as environment,
        coalesce(d.production_environment or lower(d.environment) in ('production', 'prod'),
                 false) as is_production,
        coalesce(s.state = 'success', false) as is_successful,
        coalesce(lower(d.description) like 'hotfix%', false) as is_hotfix,
        make_timestamp(epoch_us(d.created_at)) as started_at,
        case when s.state in ('success', 'failure', 'error') then s.created_at end as finished_at
    from raw_github.deployments as d
    left join latest_statuses as s on d.id = s.deployment_id
    left join delivery_repo_services as rs on d.repo_full_name = rs.repo_full_name
),
previous_success as (
    select
        deployment_id,
        lag(deployment_id) over w as previous_success_deployment_id,
        lag(commit_sha) over w as previous_success_commit_sha
    from all_deployments
    where is_successful
    window w as (partition by service_id, repo_full_name, environment
                 order by started_at, finished_at, deployment_id)
)
select a.*, p.previous_success_deployment_id, p.previous_success_commit_sha
from all_deployments as a
left join previous_success as p on a.deployment_id = p.deployment_id
where a.is_production;

-- change sets (macros/first_parent_walk.sql): first parents from the deployed commit back to
-- the previous successful deployment's commit (excluded), only for the deployments that can
-- ship a pull request (successful, production, finished)
create or replace temp table delivery_deployment_commits as
with recursive commits as (
    select repo_full_name, sha as commit_sha, _dlt_id as commit_row_key,
           make_timestamp(epoch_us(commit__committer__date)) as committed_at
    from raw_github.commits
),
parent_steps as (
    select c.repo_full_name, c.commit_sha, p.sha as parent_sha,
           parent_commits.committed_at as parent_committed_at
    from commits as c
    inner join raw_github.commits__parents as p
        on c.commit_row_key = p._dlt_parent_id and p._dlt_list_idx = 0
    inner join commits as parent_commits
        on c.repo_full_name = parent_commits.repo_full_name
        and p.sha = parent_commits.commit_sha
),
ranges as (
    select
        d.deployment_id,
        d.repo_full_name,
        d.commit_sha as head_sha,
        d.previous_success_commit_sha as base_sha,
        base_commits.committed_at as base_committed_at
    from delivery_deployments as d
    left join commits as head_commits
        on d.repo_full_name = head_commits.repo_full_name
        and d.commit_sha = head_commits.commit_sha
    left join commits as base_commits
        on d.repo_full_name = base_commits.repo_full_name
        and d.previous_success_commit_sha = base_commits.commit_sha
    where d.is_successful and d.finished_at is not null
        and d.previous_success_deployment_id is not null
        and d.commit_sha <> d.previous_success_commit_sha
        and (head_commits.committed_at is null or base_commits.committed_at is null
             or head_commits.committed_at >= base_commits.committed_at)
),
walk (deployment_id, repo_full_name, base_sha, base_committed_at, commit_sha, walk_depth) as (
    select deployment_id, repo_full_name, base_sha, base_committed_at, head_sha, 1
    from ranges
    union all
    select w.deployment_id, w.repo_full_name, w.base_sha, w.base_committed_at, s.parent_sha,
           w.walk_depth + 1
    from walk as w
    inner join parent_steps as s
        on w.repo_full_name = s.repo_full_name and w.commit_sha = s.commit_sha
    where s.parent_sha <> w.base_sha
        and (w.base_committed_at is null or s.parent_committed_at >= w.base_committed_at)
        and w.walk_depth < 5000
)
select distinct deployment_id, repo_full_name, commit_sha from walk;

-- pull requests: the first successful production deployment whose change set holds the
-- merge commit, and the lead time from the first authored commit to that deployment
create or replace temp table delivery_pull_requests as
with pull_requests as (
    select
        id as pull_request_id,
        repo_full_name,
        number as pull_request_number,
        merge_commit_sha,
        make_timestamp(epoch_us(merged_at)) as merged_at,
        coalesce(user__type = 'Bot' or lower(user__login) like '%[bot]', false) as is_bot,
        coalesce(title like 'Revert "%', false) as is_revert
    from raw_github.pull_requests
),
shipped as (
    select pr.pull_request_id, d.deployment_id, d.finished_at as deployed_at
    from pull_requests as pr
    inner join delivery_deployment_commits as dc
        on pr.merge_commit_sha = dc.commit_sha and pr.repo_full_name = dc.repo_full_name
    inner join delivery_deployments as d on dc.deployment_id = d.deployment_id
    where pr.merged_at is not null and d.is_successful and d.finished_at is not null
    qualify row_number() over (partition by pr.pull_request_id
                               order by d.finished_at, d.deployment_id) = 1
),
first_commits as (
    select pr.pull_request_id, min(make_timestamp(epoch_us(c.commit__author__date)))
        as first_commit_authored_at
    from raw_github.pull_request_commits as c
    inner join pull_requests as pr
        on c.repo_full_name = pr.repo_full_name
        and c.pull_request_number = pr.pull_request_number
    where pr.pull_request_id in (select pull_request_id from shipped)
    group by pr.pull_request_id
)
select
    pr.pull_request_id,
    rs.team_id,
    pr.is_bot,
    pr.is_revert,
    pr.merged_at,
    shipped.deployment_id,
    shipped.deployed_at,
    case
        when ceil(date_diff('second', fc.first_commit_authored_at, shipped.deployed_at) / 60.0) >= 0
            then ceil(date_diff('second', fc.first_commit_authored_at, shipped.deployed_at) / 60.0)
                ::bigint
    end as lead_time_minutes
from pull_requests as pr
left join delivery_repo_services as rs on pr.repo_full_name = rs.repo_full_name
left join shipped on pr.pull_request_id = shipped.pull_request_id
left join first_commits as fc on pr.pull_request_id = fc.pull_request_id;

-- anomaly episodes (the "problem already under way" test): runs of consecutive complete hours
-- in which a service's error rate burns its availability budget, or its CPU or p95 latency is
-- above 1.25 x the median of the same hour over the previous 14 days (at least 7 of them)
create or replace temp table anomaly_episodes as
with complete_hours as (
    select * from service_hours where is_complete
),
baselines as (
    select
        c.service_id,
        c.hour_at + to_hours(24 * back.n) as for_hour_at,
        count(*) as baseline_hours,
        quantile_cont(c.cpu_utilization, 0.5) as cpu_baseline,
        quantile_cont(c.latency_p95_ms, 0.5) as latency_baseline
    from complete_hours as c
    cross join range(1, 15) as back(n)
    group by all
),
availability_targets as (
    select service_id, max(target)::double as availability_target
    from seeds.slo_targets where slo = 'availability' group by service_id
),
anomalous as (
    select c.service_id, c.hour_at
    from complete_hours as c
    left join availability_targets as t using (service_id)
    left join baselines as b on c.service_id = b.service_id and c.hour_at = b.for_hour_at
    where coalesce(c.request_count > 0
                   and c.error_count::double / c.request_count > 1 - t.availability_target,
                   false)
        or coalesce(b.baseline_hours >= 7 and c.cpu_utilization > 1.25 * b.cpu_baseline, false)
        or coalesce(b.baseline_hours >= 7 and c.latency_p95_ms > 1.25 * b.latency_baseline,
                    false)
)
select service_id, min(hour_at) as started_at, max(hour_at) + interval 1 hour as ended_at
from (
    select *, epoch(hour_at) / 3600
        - row_number() over (partition by service_id order by hour_at) as island
    from anomalous
)
group by service_id, island;

-- outcomes of the successful production deployments (DORA 2024 remediation rule, the default
-- `delivery_failure_rule`): failed when the next successful deployment was unplanned (a hotfix,
-- a revert or a rollback) or an incident of its service counts as its failure (see
-- incident_links); rework (unplanned after a previous one); recovery (last failing incident
-- resolved, else the fix's finish)
create or replace temp table delivery_outcomes as
with incidents as (
    select
        i.id as incident_id,
        s.service_id,
        make_timestamp(epoch_us(i.created_at)) as created_at,
        make_timestamp(epoch_us(i.resolved_at)) as resolved_at
    from raw_incidents.incidents as i
    left join seeds.services as s on i.service__id = s.pagerduty_service_id
),
-- the incident's cause: the latest anomaly episode of its service that began by the incident
-- and had not ended more than 6 hours (delivery_cause_lookback_hours) before it
causes as (
    select i.incident_id, e.started_at as cause_started_at
    from incidents as i
    inner join anomaly_episodes as e
        on i.service_id = e.service_id and e.started_at <= i.created_at
        and e.ended_at >= i.created_at - interval 6 hour
    qualify row_number() over (partition by i.incident_id order by e.started_at desc) = 1
),
-- each incident -> the latest successful production deployment of its service finished
-- before it started
last_deployments as (
    select i.*, d.deployment_id, d.started_at as deployment_started_at,
           d.finished_at as deployment_finished_at
    from incidents as i
    left join delivery_deployments as d
        on i.service_id = d.service_id and d.is_successful and d.finished_at is not null
        and d.finished_at < i.created_at
    qualify row_number() over (partition by i.incident_id
                               order by d.finished_at desc, d.deployment_id desc) = 1
),
-- it fails that deployment (DORA 2024 remediation rule, defaults): started within 24 hours
-- (delivery_failure_window_hours; span rounded up to whole minutes) of the deployment's
-- finish, and its cause had not already run a whole anomalous hour when the deployment started
incident_links as (
    select l.resolved_at, l.deployment_id
    from last_deployments as l
    left join causes as c on l.incident_id = c.incident_id
    where l.deployment_id is not null
        and ceil(date_diff('second', l.deployment_finished_at, l.created_at) / 60.0) >= 0
        and ceil(date_diff('second', l.deployment_finished_at, l.created_at) / 60.0) <= 24 * 60
        and (c.cause_started_at is null
             or date_diff('second', c.cause_started_at, l.deployment_started_at) < 3600)
),
linked as (
    select
        deployment_id,
        count(*) as linked_incident_count,
        case when count(*) = count(resolved_at) then max(resolved_at) end
            as incidents_resolved_at
    from incident_links
    where deployment_id is not null
    group by deployment_id
),
reverts as (
    select deployment_id, bool_or(is_revert) as ships_revert
    from delivery_pull_requests
    where deployment_id is not null
    group by deployment_id
),
classified as (
    select
        d.*,
        d.is_hotfix or coalesce(r.ships_revert, false)
        -- a rollback: a successful deployment of another commit that shipped no new commit
        or coalesce(d.is_successful and d.previous_success_commit_sha is not null
                    and d.commit_sha <> d.previous_success_commit_sha
                    and d.deployment_id not in (
                        select deployment_id from delivery_deployment_commits), false)
            as is_unplanned,
        coalesce(l.linked_incident_count, 0) as linked_incident_count,
        l.incidents_resolved_at
    from delivery_deployments as d
    left join reverts as r on d.deployment_id = r.deployment_id
    left join linked as l on d.deployment_id = l.deployment_id
),
with_next as (
    select
        *,
        lead({'is_unplanned': is_unplanned, 'finished_at': finished_at}) over (
            partition by service_id, repo_full_name, environment
            order by started_at, finished_at, deployment_id) as next_success
    from classified
    where is_successful
),
outcomes as (
    select
        *,
        case when next_success.is_unplanned then next_success.finished_at end as fixed_at,
        coalesce(next_success.is_unplanned, false) as is_fixed
    from with_next
)
select
    team_id,
    finished_at,
    linked_incident_count > 0 or is_fixed as is_failed,
    is_unplanned and previous_success_deployment_id is not null as is_rework,
    case
        when linked_incident_count > 0 then incidents_resolved_at
        when is_fixed then fixed_at
    end as recovered_at
from outcomes
where finished_at is not null;

create or replace table bench_hand.dora_team_weekly as
with deployment_weekly as (
    select
        team_id,
        cast(date_trunc('week', finished_at) as date) as week_start,
        count(*) as deployment_count,
        count(distinct cast(finished_at as date)) as deployment_days,
        count(*) filter (where is_failed) as failed_deployment_count,
        count(*) filter (where is_rework) as rework_deployment_count,
        quantile_cont(case when is_failed then
            case when ceil(date_diff('second', finished_at, recovered_at) / 60.0) >= 0
                then ceil(date_diff('second', finished_at, recovered_at) / 60.0)::bigint end
            ::double / 60 end, 0.5) as failed_deployment_recovery_time_hours
    from delivery_outcomes
    group by all
),
deployed_pr_weekly as (
    select
        team_id,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as changes_deployed_count,
        quantile_cont(lead_time_minutes::double / 60, 0.5) as change_lead_time_hours,
        quantile_cont(lead_time_minutes::double / 60, 0.75) as change_lead_time_p75_hours
    from delivery_pull_requests
    where deployed_at is not null and not is_bot
    group by all
),
-- the weeks from the first to the last with any delivery activity: deployments (which
-- include every deployed pull request's week), merged pull requests and completed CI runs
active_weeks as (
    select date_trunc('week', finished_at) as week_at from delivery_outcomes
    union all
    select date_trunc('week', merged_at) from delivery_pull_requests
    where merged_at is not null and not is_bot
    union all
    select date_trunc('week', make_timestamp(epoch_us(created_at))) from raw_ci.workflow_runs
    where status = 'completed'
),
weeks as (
    select cast(unnest(generate_series(min(week_at), max(week_at), interval 7 day)) as date)
        as week_start
    from active_weeks
),
joined as (
    select
        t.team_id,
        w.week_start,
        coalesce(dw.deployment_count, 0)::integer as deployment_count,
        coalesce(dw.deployment_days, 0)::integer as deployment_days,
        sum(coalesce(dw.deployment_count, 0)) over (
            partition by t.team_id order by w.week_start
            rows between 3 preceding and current row)::integer as deployments_trailing_4w,
        count(*) over (partition by t.team_id order by w.week_start
                       rows between 3 preceding and current row) as trailing_weeks,
        coalesce(pw.changes_deployed_count, 0)::integer as changes_deployed_count,
        pw.change_lead_time_hours,
        pw.change_lead_time_p75_hours,
        coalesce(dw.failed_deployment_count, 0)::integer as failed_deployment_count,
        dw.failed_deployment_recovery_time_hours,
        coalesce(dw.rework_deployment_count, 0)::integer as rework_deployment_count
    from seeds.teams as t
    cross join weeks as w
    left join deployment_weekly as dw on t.team_id = dw.team_id and w.week_start = dw.week_start
    left join deployed_pr_weekly as pw on t.team_id = pw.team_id and w.week_start = pw.week_start
)
select
    team_id,
    week_start,
    deployment_count,
    deployment_days,
    deployments_trailing_4w,
    case
        when trailing_weeks < 4 then null  -- no band until the four-week window is full
        when deployments_trailing_4w > 28 then 'elite'
        when deployments_trailing_4w >= 4 then 'high'
        when deployments_trailing_4w >= 1 then 'medium'
        else 'low'
    end as deployment_frequency_band,
    changes_deployed_count,
    change_lead_time_hours,
    change_lead_time_p75_hours,
    case
        when change_lead_time_hours < 24 then 'elite'
        when change_lead_time_hours < 24 * 7 then 'high'
        when change_lead_time_hours < 24 * 30 then 'medium'
        when change_lead_time_hours >= 24 * 30 then 'low'
    end as change_lead_time_band,
    failed_deployment_count,
    case when deployment_count > 0 then failed_deployment_count::double / deployment_count end
        as change_failure_rate,
    failed_deployment_recovery_time_hours,
    case
        when failed_deployment_recovery_time_hours < 1 then 'elite'
        when failed_deployment_recovery_time_hours < 24 then 'high'
        when failed_deployment_recovery_time_hours < 24 * 7 then 'medium'
        when failed_deployment_recovery_time_hours >= 24 * 7 then 'low'
    end as failed_deployment_recovery_time_band,
    rework_deployment_count,
    case when deployment_count > 0 then rework_deployment_count::double / deployment_count end
        as deployment_rework_rate
from joined;

-- The honest lower bound for this engine (README "Performance"): the headline marts computed
-- straight from the raw tables and the seeds in one DuckDB script, no views, no tests, no
-- intermediate tables beyond what the results need. benchmarks/run.py times it after the dbt
-- build and checks (benchmarks/compare.py) that every row equals the dbt output:
--   bench_hand.slo_daily        = marts.fct_slo_daily            (SLO attainment)
--   bench_hand.mrr_movements    = marts.fct_mrr_movements        (MRR movements)
--   bench_hand.ci_team_weekly   = the CI columns of marts.fct_delivery_team_weekly
--   bench_hand.deploy_team_weekly = the deployment-count columns of fct_delivery_team_weekly
--   bench_hand.metric_values    = metrics.metric_values for the signal, SLO and MRR metrics
-- DuckDB dialect on purpose (this file is not a dbt model).
create schema if not exists bench_hand;

-- signals: one pivot of the raw samples per service and hour, then per day
create or replace temp table service_days as
with hourly as (
    select
        service as service_id,
        date_trunc('hour', ts at time zone 'UTC') as hour_at,
        sum(value) filter (where metric = 'requests') as request_count,
        sum(value) filter (where metric = 'errors') as error_count,
        avg(value) filter (where metric = 'cpu') as cpu_utilization,
        max(value) filter (where metric = 'latency_p95') * 1000 as latency_p95_ms
    from raw_signals.samples
    where service is not null and metric in ('requests', 'errors', 'cpu', 'latency_p95')
    group by all
),
targets as (
    select
        service_id,
        max(case when slo = 'availability' then target end)::double as availability_target,
        max(case when slo = 'latency' then target end)::double as latency_target,
        max(case when slo = 'latency' then threshold_ms end)::double as latency_threshold_ms
    from seeds.slo_targets
    group by service_id
)
select
    s.service_id,
    s.team_id,
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
from hourly as h
inner join seeds.services as s using (service_id)
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
        as is_availability_breached,
    coalesce(latency_good_hours::double / nullif(latency_observed_hours, 0) < latency_target,
             false) as is_latency_breached
from w;

-- revenue: recurring invoice lines -> customer x month MRR -> movements
create or replace temp table customer_months as
with lines as (
    select
        i.customer as customer_id,
        i.subscription as subscription_id,
        coalesce(l.price__lookup_key, s.metadata__plan) as plan_id,
        l.currency,
        make_timestamp(l.period__start * 1000000) as period_start_at,
        make_timestamp(l.period__end * 1000000) as period_end_at,
        make_timestamp(s.ended_at * 1000000) as subscription_ended_at,
        cast(
            cast(coalesce(l.price__unit_amount * coalesce(l.quantity, 1), l.amount)
                 as decimal(18, 4))
            * case when i.subtotal > 0 then cast(i.total as decimal(18, 4)) / i.subtotal
                   else 1 end
            / case l.price__recurring__interval
                when 'year' then 12 * coalesce(l.price__recurring__interval_count, 1)
                when 'week' then cast(12 as decimal(18, 4)) / 52
                    * coalesce(l.price__recurring__interval_count, 1)
                when 'day' then cast(12 as decimal(18, 4)) / 365
                    * coalesce(l.price__recurring__interval_count, 1)
                else coalesce(l.price__recurring__interval_count, 1)
            end / 100 as decimal(18, 2)) as mrr_amount
    from raw_revenue.invoices__lines__data as l
    inner join raw_revenue.invoices as i on l._dlt_parent_id = i._dlt_id
    left join raw_revenue.subscriptions as s on i.subscription = s.id
    where l.price__recurring__interval is not null and l.amount > 0
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

-- metric_values of the signal, SLO and MRR metrics (DESIGN.md §7 shape)
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

-- Cloud cost per entity (service, team, org), week and calendar month: the sums of
-- fct_cloud_cost_daily the cloud-cost metrics read, the requests served, and the ratios the
-- metrics report. Only the weeks and months the cost data covers from their first to their
-- last day (providers deliver a day's cost a day or two late, so a period the exports do not
-- cover yet has no row rather than a low one). Dense: every service of the ownership seed and
-- the entity `unallocated` (cost no service's allocation tag claims) has a row per period, 0
-- without cost. A team is the sum of its services; the org the sum of every entity,
-- unallocated included. Rules: docs/metric-definitions.md#cloud-cost.
with

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

services as (
    select * from {{ ref('services') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

cost_bounds as (
    select
        min(cost_date) as first_date,
        max(cost_date) as last_date
    from cost_daily
),

cost_days as (
    {{ timestamp_series('cost_bounds', 'first_date', 'last_date', '1 day', 'day_at') }}
),

cost_period_days as (
    select
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'day_at') }} as date) as period_start,
        cast({{ dbt.dateadd('day', 6, dbt.date_trunc('week', 'day_at')) }} as date) as period_end
    from cost_days
    union all
    select
        'month' as grain,
        cast({{ dbt.date_trunc('month', 'day_at') }} as date) as period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'day_at'))) }} as date)
            as period_end
    from cost_days
),

-- the weeks and months covered from their first to their last day (the days run without a
-- gap from the first to the last day of the cost data)
cost_periods as (
    select distinct
        cost_period_days.grain,
        cost_period_days.period_start,
        cost_period_days.period_end
    from cost_period_days
    cross join cost_bounds
    where
        cost_period_days.period_start >= cost_bounds.first_date
        and cost_period_days.period_end <= cost_bounds.last_date
),

cost_entities as (
    select
        service_id,
        team_id
    from services
    union all
    select
        'unallocated' as service_id,
        cast(null as varchar) as team_id
),

cost_rows_by_period as (
    select
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'cost_date') }} as date) as period_start,
        service_id,
        is_allocated,
        effective_cost,
        billed_cost,
        list_cost,
        idle_effective_cost,
        case when idle_effective_cost is not null then effective_cost end as measured_compute_cost
    from cost_daily
    union all
    select
        'month' as grain,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as period_start,
        service_id,
        is_allocated,
        effective_cost,
        billed_cost,
        list_cost,
        idle_effective_cost,
        case when idle_effective_cost is not null then effective_cost end as measured_compute_cost
    from cost_daily
),

cost_sums as (
    select
        grain,
        period_start,
        service_id,
        sum(effective_cost) as effective_cost,
        sum(case when is_allocated then effective_cost else 0 end) as allocated_effective_cost,
        sum(billed_cost) as billed_cost,
        sum(list_cost) as list_cost,
        -- decimal sums are exact, so the mart is the same whatever order DuckDB's threads add in
        sum(cast(idle_effective_cost as decimal(38, 9))) as idle_effective_cost,
        sum(measured_compute_cost) as measured_compute_cost
    from cost_rows_by_period
    group by grain, period_start, service_id
),

requests_by_period as (
    select
        cost_periods.grain,
        cost_periods.period_start,
        signals_daily.service_id,
        sum(signals_daily.request_count) as request_count
    from signals_daily
    inner join cost_periods
        on
            signals_daily.signal_date >= cost_periods.period_start
            and signals_daily.signal_date <= cost_periods.period_end
    group by cost_periods.grain, cost_periods.period_start, signals_daily.service_id
),

service_periods as (
    select
        cost_entities.service_id,
        cost_entities.team_id,
        cost_periods.grain,
        cost_periods.period_start,
        cost_periods.period_end,
        cast(coalesce(cost_sums.effective_cost, 0) as decimal(38, 9)) as effective_cost,
        cast(coalesce(cost_sums.allocated_effective_cost, 0) as decimal(38, 9))
            as allocated_effective_cost,
        cast(coalesce(cost_sums.billed_cost, 0) as decimal(38, 9)) as billed_cost,
        cast(coalesce(cost_sums.list_cost, 0) as decimal(38, 9)) as list_cost,
        cast(coalesce(cost_sums.idle_effective_cost, 0) as decimal(38, 9)) as idle_effective_cost,
        cast(coalesce(cost_sums.measured_compute_cost, 0) as decimal(38, 9))
            as measured_compute_cost,
        cast(coalesce(requests_by_period.request_count, 0) as decimal(38, 0)) as request_count
    from cost_entities
    cross join cost_periods
    left join cost_sums
        on
            cost_entities.service_id = cost_sums.service_id
            and cost_periods.grain = cost_sums.grain
            and cost_periods.period_start = cost_sums.period_start
    left join requests_by_period
        on
            cost_entities.service_id = requests_by_period.service_id
            and cost_periods.grain = requests_by_period.grain
            and cost_periods.period_start = requests_by_period.period_start
),

entity_periods as (
    {{ entity_rollup('service_periods', ['service', 'service_id'],
                     ['grain', 'period_start', 'period_end'],
                     ['effective_cost', 'allocated_effective_cost', 'billed_cost', 'list_cost',
                      'idle_effective_cost', 'measured_compute_cost', 'request_count']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(grain as varchar) as grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(effective_cost as double precision) as effective_cost,
        cast(allocated_effective_cost as double precision) as allocated_effective_cost,
        cast(billed_cost as double precision) as billed_cost,
        cast(list_cost as double precision) as list_cost,
        cast(idle_effective_cost as double precision) as idle_effective_cost,
        cast(measured_compute_cost as double precision) as measured_compute_cost,
        cast(request_count as double precision) as request_count,
        cast(
            case
                when request_count > 0
                    then cast(effective_cost as double precision) * 1000
                        / cast(request_count as double precision)
            end
            as double precision
        ) as cost_per_1k_requests,
        cast(
            case
                when measured_compute_cost > 0
                    then cast(idle_effective_cost as double precision)
                        / cast(measured_compute_cost as double precision)
            end
            as double precision
        ) as idle_cost_share,
        cast(
            case
                when effective_cost > 0
                    then cast(allocated_effective_cost as double precision)
                        / cast(effective_cost as double precision)
            end
            as double precision
        ) as cost_allocation_coverage
    from entity_periods
)

select * from final

{#- The cloud-cost metrics' common CTEs (docs/metric-definitions.md#cloud-cost), no trailing comma:
    `cost_bounds`, `cost_days`, `cost_periods` (the weeks and months the cost data covers from
    their first to their last day: providers deliver a day's cost a day or two late, so a period
    the exports do not cover yet has no value rather than a low one), `cost_entities` (every
    service of the ownership seed plus the entity `unallocated`) and `cost_service_periods`:
    one row per entity, grain and covered period, dense (0 when the entity had no cost), with
    the sums of fct_cloud_cost_daily the metrics read. -#}
{% macro cloud_cost_service_periods(cost_daily, services) -%}
cost_bounds as (
    select
        min(cost_date) as first_date,
        max(cost_date) as last_date
    from {{ cost_daily }}
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

cost_periods as (
    select
        grain,
        period_start,
        max(period_end) as period_end
    from cost_period_days
    group by grain, period_start
    having count(*) = {{ dbt.datediff('period_start', 'max(period_end)', 'day') }} + 1
),

cost_entities as (
    select
        service_id,
        team_id
    from {{ services }}
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
    from {{ cost_daily }}
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
    from {{ cost_daily }}
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
        sum(idle_effective_cost) as idle_effective_cost,
        sum(measured_compute_cost) as measured_compute_cost
    from cost_rows_by_period
    group by grain, period_start, service_id
),

cost_service_periods as (
    select
        cost_entities.service_id,
        cost_entities.team_id,
        cost_periods.grain,
        cost_periods.period_start,
        cost_periods.period_end,
        cast(coalesce(cost_sums.effective_cost, 0) as double precision) as effective_cost,
        cast(coalesce(cost_sums.allocated_effective_cost, 0) as double precision)
            as allocated_effective_cost,
        cast(coalesce(cost_sums.billed_cost, 0) as double precision) as billed_cost,
        cast(coalesce(cost_sums.list_cost, 0) as double precision) as list_cost,
        cast(coalesce(cost_sums.idle_effective_cost, 0) as double precision) as idle_effective_cost,
        cast(coalesce(cost_sums.measured_compute_cost, 0) as double precision)
            as measured_compute_cost
    from cost_entities
    cross join cost_periods
    left join cost_sums
        on
            cost_entities.service_id = cost_sums.service_id
            and cost_periods.grain = cost_sums.grain
            and cost_periods.period_start = cost_sums.period_start
)
{%- endmacro %}

-- Cloud cost per 1,000 requests: effective cost ÷ requests served × 1,000, per service, team
-- and org, per week (the catalog's grain) and calendar month. A team's is its services' cost ÷
-- their requests; the org's is all cloud cost (unallocated included: it is spent to serve the
-- traffic too) ÷ all requests. No value without requests (the `unallocated` entity has none).
-- formula input and causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_cloud_cost') }}
-- depends_on: {{ ref('m_request_count') }}
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

{{ cloud_cost_service_periods('cost_daily', 'services') }},

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
        cost_service_periods.service_id,
        cost_service_periods.team_id,
        cost_service_periods.grain,
        cost_service_periods.period_start,
        cost_service_periods.effective_cost,
        cast(coalesce(requests_by_period.request_count, 0) as double precision) as request_count
    from cost_service_periods
    left join requests_by_period
        on
            cost_service_periods.service_id = requests_by_period.service_id
            and cost_service_periods.grain = requests_by_period.grain
            and cost_service_periods.period_start = requests_by_period.period_start
),

metric_rows as (
    select
        'service' as entity_type,
        service_id as entity_id,
        period_start,
        grain,
        case when request_count > 0 then effective_cost * 1000 / request_count end as value
    from service_periods
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        period_start,
        grain,
        case
            when sum(request_count) > 0 then sum(effective_cost) * 1000 / sum(request_count)
        end as value
    from service_periods
    where team_id is not null
    group by team_id, period_start, grain
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        period_start,
        grain,
        case
            when sum(request_count) > 0 then sum(effective_cost) * 1000 / sum(request_count)
        end as value
    from service_periods
    group by period_start, grain
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Cloud cost per service, UTC day, FOCUS service category and allocation status: billed,
-- effective (amortised) and list cost of int_cloud_cost__charge_days, the compute capacity in
-- instance-hours, and the idle part of compute cost: effective cost × (1 − the service's mean
-- CPU utilisation of the day, fct_service_signals_daily; 0 above 100 %). Idle cost is null where CPU is
-- unknown (no samples that day, the unallocated entity) and for other categories.
with

charge_days as (
    select * from {{ ref('int_cloud_cost__charge_days') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

daily as (
    select
        service_id,
        max(team_id) as team_id,
        cost_date,
        coalesce(service_category, 'Other') as service_category,
        allocation_status,
        max(billing_currency) as billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        sum(capacity_hours) as capacity_hours,
        count(*) as charge_row_count
    from charge_days
    group by service_id, cost_date, coalesce(service_category, 'Other'), allocation_status
),

final as (
    select
        daily.service_id,
        daily.team_id,
        daily.cost_date,
        daily.service_category,
        daily.allocation_status,
        daily.allocation_status = 'allocated' as is_allocated,
        daily.billing_currency,
        cast(daily.billed_cost as decimal(38, 9)) as billed_cost,
        cast(daily.effective_cost as decimal(38, 9)) as effective_cost,
        cast(daily.list_cost as decimal(38, 9)) as list_cost,
        cast(daily.capacity_hours as double precision) as capacity_hours,
        cast(
            case when daily.service_category = 'Compute' then signals_daily.cpu_utilization_avg end
            as double precision
        ) as cpu_utilization_avg,
        cast(
            -- greatest() skips nulls: no CPU samples must stay null, not count as fully busy
            case
                when daily.service_category = 'Compute' and signals_daily.cpu_utilization_avg is not null
                    then cast(daily.effective_cost as double precision)
                        * greatest(1 - signals_daily.cpu_utilization_avg, 0)
            end as double precision
        ) as idle_effective_cost,
        cast(daily.charge_row_count as integer) as charge_row_count
    from daily
    left join signals_daily
        on
            daily.service_id = signals_daily.service_id
            and daily.cost_date = signals_daily.signal_date
)

select * from final

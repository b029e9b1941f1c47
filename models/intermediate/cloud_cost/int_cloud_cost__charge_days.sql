-- One row per FOCUS charge row and UTC day of its charge period, allocated: the charge's cost
-- reaches the service its allocation tag names (stg_cloud_cost__charges.allocation_tag_value,
-- tag key var cloud_cost_allocation_tag_key, matched trimmed and lower-cased against
-- services.csv) and that service's team; a charge without the tag (`untagged`: shared cost,
-- taxes, unused commitments) or whose tag names no service of the seed (`unknown_tag`) goes to
-- the entity `unallocated`, never spread over the services. A charge period longer than one
-- day (a monthly fee, a restated month) is spread evenly over the UTC days it covers, so a
-- daily total never jumps on the 1st; a shorter one (hourly rows) stays on its day.
with

charges as (
    select * from {{ ref('stg_cloud_cost__charges') }}
),

services as (
    select * from {{ ref('services') }}
),

spans as (
    select
        charges.*,
        cast(charges.charge_period_start as date) as first_date,
        case
            when charges.charge_period_end > charges.charge_period_start
                then cast({{ dbt.dateadd('second', -1, 'charges.charge_period_end') }} as date)
            else cast(charges.charge_period_start as date)
        end as last_date
    from charges
),

single_day as (
    select
        spans.*,
        spans.first_date as cost_date,
        1 as day_count
    from spans
    where spans.last_date <= spans.first_date
),

multi_day_bounds as (
    select
        min(first_date) as first_date,
        max(last_date) as last_date
    from spans
    where last_date > first_date
),

calendar as (
    {{ timestamp_series('multi_day_bounds', 'first_date', 'last_date', '1 day', 'day_at') }}
),

multi_day as (
    select
        spans.*,
        cast(calendar.day_at as date) as cost_date,
        count(*) over (partition by spans.charge_key) as day_count
    from spans
    inner join calendar
        on
            cast(calendar.day_at as date) >= spans.first_date
            and cast(calendar.day_at as date) <= spans.last_date
    where spans.last_date > spans.first_date
),

charge_days as (
    select * from single_day
    union all
    select * from multi_day
),

final as (
    select
        charge_days.charge_key,
        charge_days.cost_date,
        charge_days.day_count,
        coalesce(services.service_id, 'unallocated') as service_id,
        services.team_id,
        case
            when services.service_id is not null then 'allocated'
            when charge_days.allocation_tag_value is null then 'untagged'
            else 'unknown_tag'
        end as allocation_status,
        charge_days.allocation_tag_value,
        charge_days.provider_name,
        charge_days.billing_account_id,
        charge_days.sub_account_id,
        charge_days.service_category,
        charge_days.service_name,
        charge_days.resource_id,
        charge_days.charge_category,
        charge_days.billing_currency,
        case
            when
                charge_days.service_category = 'Compute'
                and lower(trim(charge_days.consumed_unit))
                in ('hours', 'hour', 'hrs', 'hr', '1 hour', 'h')
                then coalesce(cast(charge_days.consumed_quantity as double precision), 0)
                    / charge_days.day_count
            else cast(0 as double precision)
        end as capacity_hours,
        cast(charge_days.billed_cost / charge_days.day_count as decimal(38, 9)) as billed_cost,
        cast(charge_days.effective_cost / charge_days.day_count as decimal(38, 9)) as effective_cost,
        cast(charge_days.list_cost / charge_days.day_count as decimal(38, 9)) as list_cost
    from charge_days
    left join services
        on lower(trim(charge_days.allocation_tag_value)) = services.service_id
)

select * from final

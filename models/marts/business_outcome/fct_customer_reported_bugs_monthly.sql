-- Issues labelled `bug` and `customer-reported`, by the calendar month they were opened, per
-- service (entity_type `service`), team (`team`) and for the whole organisation (`org`); zero in
-- months without any (every service and team of the ownership seeds, every month of the signal
-- data). The metric m_customer_reported_bugs is its projection.
with

work_items as (
    select * from {{ ref('fct_work_items') }}
),

services as (
    select * from {{ ref('services') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

months as (
    select distinct cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start
    from signals_daily
),

bugs as (
    select
        service_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start,
        count(*) as bug_count
    from work_items
    where is_customer_reported and service_id is not null
    group by service_id, cast({{ dbt.date_trunc('month', 'created_at') }} as date)
),

service_months as (
    select
        services.service_id,
        services.team_id,
        months.month_start,
        coalesce(bugs.bug_count, 0) as bug_count
    from services
    cross join months
    left join bugs
        on services.service_id = bugs.service_id and months.month_start = bugs.month_start
),

entity_months as (
    {{ entity_rollup('service_months', ['service', 'service_id'], ['month_start'], ['bug_count']) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(bug_count as integer) as customer_reported_bug_count
    from entity_months
)

select * from final

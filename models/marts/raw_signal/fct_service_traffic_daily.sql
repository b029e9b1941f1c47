-- Requests served and failed per service and day (entity_type `service`, the rows of
-- fct_service_signals_daily) and for the whole organisation (`org`: the sums over all services).
-- The metrics m_request_count and m_error_count are the projections of request_count and
-- error_count.
with

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

entity_days as (
    select
        'service' as entity_type,
        service_id as entity_id,
        signal_date,
        request_count,
        error_count
    from signals_daily
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        signal_date,
        sum(request_count) as request_count,
        sum(error_count) as error_count
    from signals_daily
    group by signal_date
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(signal_date as date) as signal_date,
        cast(request_count as bigint) as request_count,
        cast(error_count as bigint) as error_count
    from entity_days
)

select * from final

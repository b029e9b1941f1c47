-- The hourly golden signals per service (int_signals__service_hours, the one table of them: dense,
-- gaps kept as rows with is_complete = false) with the error rate. A VIEW, so the rows are
-- stored once: the incremental hourly table is int_signals__service_hours. The relation is
-- named without its database (the project's ref, macros/ref.sql) so the view also reads from
-- an attached copy of the warehouse (the published file is written from one).
{{ config(materialized='view') }}

with

service_hours as (
    select * from {{ ref('int_signals__service_hours') }}
),

final as (
    select
        service_id,
        team_id,
        hour_at,
        signal_date,
        request_count,
        error_count,
        cast(error_count as double precision) / nullif(request_count, 0) as error_rate,
        cpu_utilization,
        latency_p95_ms,
        is_complete
    from service_hours
)

select * from final

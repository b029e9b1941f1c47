-- The end of the signal data: the time of the latest Prometheus sample of any service and
-- metric (one row), the horizon a measurement that waits for later data is judged against.
with

samples as (
    select * from {{ ref('stg_signals__samples') }}
),

final as (
    select max(sampled_at) as data_end_at
    from samples
    -- the loads holding the latest samples (DuckDB skips the others; macros/loads_holding_latest.sql)
    where {{ loads_holding_latest('stg_signals__samples', 'ts') }}
)

select * from final

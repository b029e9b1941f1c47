-- The end of the signal data: the time of the latest Prometheus sample of any service and
-- metric (one row), the horizon a measurement that waits for later data is judged against.
with

samples as (
    select * from {{ ref('stg_signals__samples') }}
),

final as (
    select max(sampled_at) as data_end_at
    from samples
)

select * from final

with

source as (
    {{ source_or_empty('raw_signals', 'samples') }}
),

renamed as (
    select
        {{ surrogate_key(['metric', 'series', to_utc_timestamp('ts')]) }} as sample_key,
        metric as metric_name,
        series,
        nullif(service, '') as service_id,
        nullif(feature, '') as feature_id,
        nullif(customer, '') as customer_id,
        {{ to_utc_timestamp('ts') }} as sampled_at,
        ts as sampled_at_tz,
        value,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id
    from source
)

select * from renamed

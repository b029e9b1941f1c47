with

source as (
    {{ source_or_empty('raw_signals', 'samples') }}
),

feature_usage as (
    select * from source
    where metric = 'feature_usage'
),

renamed as (
    select
        {{ surrogate_key(['metric', 'series', to_utc_timestamp('ts')]) }} as sample_key,
        nullif(feature, '') as feature_id,
        nullif(customer, '') as customer_id,
        {{ to_utc_timestamp('ts') }} as sampled_at,
        value as usage_count,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id
    from feature_usage
)

select * from renamed

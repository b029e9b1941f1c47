with

source as (
    -- optional or nullable fields dlt has not landed come as typed NULLs
    {{ source_or_empty('raw_revenue', 'customers') }}
),

renamed as (
    select
        id as customer_id,
        name as customer_name,
        {{ hash_identity('email') }} as email_key,
        currency,
        delinquent as is_delinquent,
        metadata__segment as segment,
        {{ from_unix_seconds('created') }} as created_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as customer_row_key
    from source
)

select * from renamed

with

source as (
    -- optional or nullable fields dlt has not landed come as typed NULLs
    {{ source_or_empty('raw_revenue', 'subscriptions') }}
),

renamed as (
    select
        id as subscription_id,
        customer as customer_id,
        metadata__plan as metadata_plan,
        status,
        currency,
        cancel_at_period_end as is_cancel_at_period_end,
        {{ from_unix_seconds('created') }} as created_at,
        {{ from_unix_seconds('start_date') }} as started_at,
        {{ from_unix_seconds('trial_start') }} as trial_start_at,
        {{ from_unix_seconds('trial_end') }} as trial_end_at,
        {{ from_unix_seconds('canceled_at') }} as canceled_at,
        {{ from_unix_seconds('ended_at') }} as ended_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as subscription_row_key
    from source
)

select * from renamed

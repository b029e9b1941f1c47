with

source as (
    select * from {{ source('raw_revenue', 'subscriptions') }}
),

renamed as (
    select
        id as subscription_id,
        customer as customer_id,
        metadata__plan as plan_id,
        status,
        currency,
        cancel_at_period_end as is_cancel_at_period_end,
        discount__coupon__id as discount_coupon_id,
        discount__coupon__percent_off as discount_percent_off,
        discount__coupon__amount_off as discount_amount_off_cents,
        {{ from_unix_seconds('created') }} as created_at,
        {{ from_unix_seconds('start_date') }} as started_at,
        {{ from_unix_seconds('current_period_start') }} as current_period_start_at,
        {{ from_unix_seconds('current_period_end') }} as current_period_end_at,
        {{ from_unix_seconds('trial_start') }} as trial_start_at,
        {{ from_unix_seconds('trial_end') }} as trial_end_at,
        {{ from_unix_seconds('canceled_at') }} as canceled_at,
        {{ from_unix_seconds('ended_at') }} as ended_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_id as subscription_row_key
    from source
)

select * from renamed

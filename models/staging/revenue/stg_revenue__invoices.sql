with

source as (
    select * from {{ source('raw_revenue', 'invoices') }}
),

renamed as (
    select
        id as invoice_id,
        customer as customer_id,
        subscription as subscription_id,
        status,
        currency,
        subtotal as subtotal_cents,
        total as total_cents,
        amount_paid as amount_paid_cents,
        {{ from_unix_seconds('created') }} as created_at,
        {{ from_unix_seconds('period_start') }} as period_start_at,
        {{ from_unix_seconds('period_end') }} as period_end_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_id as invoice_row_key
    from source
)

select * from renamed

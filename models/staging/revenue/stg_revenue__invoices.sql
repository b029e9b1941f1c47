with

source as (
    -- optional or nullable fields dlt has not landed come as typed NULLs
    {{ source_or_empty('raw_revenue', 'invoices') }}
),

renamed as (
    select
        id as invoice_id,
        customer as customer_id,
        parent__subscription_details__subscription as subscription_id,
        status,
        currency,
        subtotal as subtotal_cents,
        total as total_cents,
        total_excluding_tax as total_excluding_tax_cents,
        amount_paid as amount_paid_cents,
        {{ from_unix_seconds('created') }} as created_at,
        {{ from_unix_seconds('period_start') }} as period_start_at,
        {{ from_unix_seconds('period_end') }} as period_end_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as invoice_row_key
    from source
)

select * from renamed

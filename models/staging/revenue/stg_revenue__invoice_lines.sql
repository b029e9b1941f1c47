with

source as (
    select * from {{ source('raw_revenue', 'invoices__lines__data') }}
),

renamed as (
    select
        id as invoice_line_id,
        _dlt_parent_id as invoice_row_key,
        _dlt_list_idx as line_position,
        amount as amount_cents,
        currency,
        quantity,
        proration as is_proration,
        price__id as price_id,
        price__lookup_key as price_lookup_key,
        price__unit_amount as unit_amount_cents,
        price__recurring__interval as recurring_interval,
        price__recurring__interval_count as recurring_interval_count,
        {{ from_unix_seconds('period__start') }} as period_start_at,
        {{ from_unix_seconds('period__end') }} as period_end_at,
        _dlt_id as invoice_line_row_key
    from source
)

select * from renamed

with

source as (
    -- dlt creates the child table with the first line; optional fields come as typed NULLs
    {{ source_or_empty('raw_revenue', 'invoices__lines__data') }}
),

renamed as (
    select
        id as invoice_line_id,
        _dlt_parent_id as invoice_row_key,
        _dlt_list_idx as line_position,
        amount as amount_cents,
        currency,
        quantity,
        parent__type as parent_type,
        parent__subscription_item_details__subscription as subscription_id,
        parent__subscription_item_details__subscription_item as subscription_item_id,
        coalesce(
            parent__subscription_item_details__proration,
            parent__invoice_item_details__proration
        ) as is_proration,
        pricing__price_details__price as price_id,
        pricing__price_details__product as product_id,
        cast(pricing__unit_amount_decimal as decimal(18, 4)) as unit_amount_cents,
        {{ from_unix_seconds('period__start') }} as period_start_at,
        {{ from_unix_seconds('period__end') }} as period_end_at,
        _dlt_id as invoice_line_row_key
    from source
)

select * from renamed

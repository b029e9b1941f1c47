with

source as (
    -- dlt creates the child table with the first item; optional fields come as typed NULLs
    {{ source_or_empty('raw_revenue', 'subscriptions__items__data') }}
),

renamed as (
    select
        id as subscription_item_id,
        _dlt_parent_id as subscription_row_key,
        _dlt_list_idx as item_position,
        quantity,
        price__id as price_id,
        price__product as product_id,
        price__lookup_key as price_lookup_key,
        price__metadata__plan as price_metadata_plan,
        price__unit_amount as unit_amount_cents,
        price__currency as price_currency,
        price__recurring__interval as recurring_interval,
        price__recurring__interval_count as recurring_interval_count,
        {{ from_unix_seconds('current_period_start') }} as current_period_start_at,
        {{ from_unix_seconds('current_period_end') }} as current_period_end_at,
        _dlt_id as subscription_item_row_key
    from source
)

select * from renamed

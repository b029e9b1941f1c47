with

source as (
    -- may not be landed yet (no price); optional fields come as typed NULLs
    {{ source_or_empty('raw_revenue', 'prices') }}
),

renamed as (
    select
        id as price_id,
        product__id as product_id,
        product__name as product_name,
        lookup_key as price_lookup_key,
        metadata__plan as price_metadata_plan,
        product__metadata__plan as product_metadata_plan,
        type as price_type,
        active as is_active,
        currency,
        unit_amount as unit_amount_cents,
        cast(unit_amount_decimal as decimal(18, 4)) as unit_amount_decimal_cents,
        tax_behavior,
        recurring__interval as recurring_interval,
        recurring__interval_count as recurring_interval_count,
        {{ from_unix_seconds('created') }} as created_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as price_row_key
    from source
)

select * from renamed

with

source as (
    {{ source_or_empty('raw_cloud_cost', 'charges') }}
),

renamed as (
    select
        {{ surrogate_key(['source_file', 'source_row']) }} as charge_key,
        billing_account_id,
        billing_account_name,
        sub_account_id,
        sub_account_name,
        provider_name,
        publisher_name,
        invoice_issuer_name,
        {{ to_utc_timestamp('billing_period_start') }} as billing_period_start,
        {{ to_utc_timestamp('billing_period_end') }} as billing_period_end,
        {{ to_utc_timestamp('charge_period_start') }} as charge_period_start,
        {{ to_utc_timestamp('charge_period_end') }} as charge_period_end,
        region_id,
        region_name,
        availability_zone,
        service_category,
        service_name,
        resource_id,
        resource_name,
        resource_type,
        sku_id,
        sku_price_id,
        cast(consumed_quantity as decimal(38, 9)) as consumed_quantity,
        consumed_unit,
        cast(pricing_quantity as decimal(38, 9)) as pricing_quantity,
        pricing_unit,
        pricing_category,
        cast(list_unit_price as decimal(38, 9)) as list_unit_price,
        cast(contracted_unit_price as decimal(38, 9)) as contracted_unit_price,
        cast(billed_cost as decimal(38, 9)) as billed_cost,
        cast(effective_cost as decimal(38, 9)) as effective_cost,
        cast(list_cost as decimal(38, 9)) as list_cost,
        cast(contracted_cost as decimal(38, 9)) as contracted_cost,
        upper(billing_currency) as billing_currency,
        charge_category,
        charge_class,
        charge_frequency,
        charge_description,
        commitment_discount_id,
        commitment_discount_type,
        commitment_discount_category,
        commitment_discount_status,
        nullif({{ json_text_field('tags', var('cloud_cost_allocation_tag_key', 'service')) }}, '')
            as allocation_tag_value,
        tags as tags_json,
        source_file,
        cast(source_row as bigint) as source_row,
        {{ to_utc_timestamp('file_modified_at') }} as file_modified_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id
    from source
)

select * from renamed

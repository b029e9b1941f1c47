with

source as (
    -- may not be landed yet (no credit note issued): an empty, typed select then
    {{ source_or_empty('raw_revenue', 'credit_notes') }}
),

renamed as (
    select
        id as credit_note_id,
        customer as customer_id,
        invoice as invoice_id,
        status,
        reason,
        memo,
        currency,
        amount as amount_cents,
        metadata__kind as credit_kind,
        metadata__service as service_id,
        metadata__period as credited_period,
        {{ from_unix_seconds('created') }} as created_at,
        {{ dlt_loaded_at() }} as loaded_at,
        _dlt_load_id as load_id,
        _dlt_id as credit_note_row_key
    from source
)

select * from renamed

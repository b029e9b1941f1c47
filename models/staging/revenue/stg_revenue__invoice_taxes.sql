with

source as (
    -- no table until an invoice carries tax (an untaxed account): an empty, typed select then
    {{ source_or_empty('raw_revenue', 'invoices__total_taxes') }}
),

renamed as (
    select
        _dlt_parent_id as invoice_row_key,
        _dlt_list_idx as tax_position,
        amount as tax_cents,
        tax_behavior,
        _dlt_id as invoice_tax_row_key
    from source
)

select * from renamed

-- The SLA credits among the Stripe credit notes (metadata kind = sla_credit), with the service
-- and the calendar month they credit (metadata `credited_period`, YYYY-MM). One row per note.
with

credit_notes as (
    select * from {{ ref('stg_revenue__credit_notes') }}
),

final as (
    select
        credit_note_id,
        customer_id,
        service_id,
        cast(credited_period || '-01' as date) as credited_month_start,
        amount_cents
    from credit_notes
    where credit_kind = 'sla_credit'
)

select * from final

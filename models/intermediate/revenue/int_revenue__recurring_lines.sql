-- Every recurring invoice line that bills something, with the monthly recurring rate it
-- stands for: unit price × quantity, after the invoice's discounts (total / subtotal),
-- normalised to one month (yearly ÷ 12, every N months ÷ N, weekly × 52/12).
-- Lines that bill nothing (trials) or credit (unused time after a downgrade or upgrade)
-- carry no rate. A proration line that charges for the rest of a period after a mid-period
-- change is kept: it is the first evidence of the new rate.
with

lines as (
    select * from {{ ref('stg_revenue__invoice_lines') }}
),

invoices as (
    select * from {{ ref('stg_revenue__invoices') }}
),

subscriptions as (
    select * from {{ ref('stg_revenue__subscriptions') }}
),

joined as (
    select
        lines.invoice_line_id,
        invoices.invoice_id,
        invoices.customer_id,
        invoices.subscription_id,
        coalesce(lines.price_lookup_key, subscriptions.plan_id) as plan_id,
        lines.currency,
        lines.amount_cents,
        lines.is_proration,
        coalesce(lines.unit_amount_cents * coalesce(lines.quantity, 1), lines.amount_cents)
            as list_amount_cents,
        invoices.subtotal_cents,
        invoices.total_cents,
        lines.recurring_interval,
        coalesce(lines.recurring_interval_count, 1) as recurring_interval_count,
        lines.period_start_at,
        lines.period_end_at,
        subscriptions.ended_at as subscription_ended_at
    from lines
    inner join invoices
        on lines.invoice_row_key = invoices.invoice_row_key
    left join subscriptions
        on invoices.subscription_id = subscriptions.subscription_id
    where
        lines.recurring_interval is not null
        and lines.amount_cents > 0
        and invoices.status in ('paid', 'open')
),

final as (
    select
        invoice_line_id,
        invoice_id,
        customer_id,
        subscription_id,
        plan_id,
        currency,
        coalesce(is_proration, false) as is_proration,
        period_start_at,
        period_end_at,
        subscription_ended_at,
        cast(
            cast(list_amount_cents as decimal(18, 4))
            * case
                when subtotal_cents > 0
                    then cast(total_cents as decimal(18, 4)) / subtotal_cents
                else 1
            end
            / case recurring_interval
                when 'year' then 12 * recurring_interval_count
                when 'week' then cast(12 as decimal(18, 4)) / 52 * recurring_interval_count
                when 'day' then cast(12 as decimal(18, 4)) / 365 * recurring_interval_count
                else recurring_interval_count
            end
            / 100
            as decimal(18, 2)
        ) as mrr_amount
    from joined
)

select * from final

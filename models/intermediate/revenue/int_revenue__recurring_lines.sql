{{ config(post_hook="{{ report_unmapped_plans(this) }}") }}
{%- set period_days = dbt.datediff('lines.period_start_at', 'lines.period_end_at', 'day') %}
-- Every recurring invoice line that bills something, with the monthly recurring rate it
-- stands for: unit price × quantity, after the invoice's discounts and without tax (× total
-- excluding tax ÷ subtotal: Stripe's subtotal is before invoice discounts and exclusive tax but
-- includes inclusive tax, its total_excluding_tax is after discounts and without any tax),
-- normalised to one month (yearly ÷ 12, every N months ÷ N, weekly × 52/12).
-- Lines that bill nothing (trials) or credit (unused time after a downgrade or upgrade)
-- carry no rate. A proration line that charges for the rest of a period after a mid-period
-- change is kept: it is the first evidence of the new rate.
-- The plan is the first of: price lookup_key, price metadata.plan, product metadata.plan,
-- subscription metadata.plan, product id; a key the `plans` seed does not list becomes plan
-- `unmapped` (reported by the post-hook and a warning test, never dropped).
with

lines as (
    select * from {{ ref('stg_revenue__invoice_lines') }}
),

invoices as (
    select * from {{ ref('stg_revenue__invoices') }}
),

invoice_taxes as (
    select
        invoice_row_key,
        sum(tax_cents) as tax_cents
    from {{ ref('stg_revenue__invoice_taxes') }}
    group by invoice_row_key
),

prices as (
    select * from {{ ref('stg_revenue__prices') }}
),

subscriptions as (
    select * from {{ ref('stg_revenue__subscriptions') }}
),

subscription_items as (
    select * from {{ ref('stg_revenue__subscription_items') }}
),

plans as (
    select plan_id from {{ ref('plans') }}
),

joined as (
    select
        lines.invoice_line_id,
        invoices.invoice_id,
        invoices.customer_id,
        coalesce(lines.subscription_id, invoices.subscription_id) as subscription_id,
        lines.price_id,
        coalesce(lines.product_id, prices.product_id, subscription_items.product_id)
            as product_id,
        coalesce(
            prices.price_lookup_key,
            subscription_items.price_lookup_key,
            prices.price_metadata_plan,
            subscription_items.price_metadata_plan,
            prices.product_metadata_plan,
            subscriptions.metadata_plan,
            lines.product_id,
            prices.product_id,
            subscription_items.product_id
        ) as plan_key,
        lines.currency,
        lines.amount_cents,
        lines.is_proration,
        coalesce(
            lines.unit_amount_cents * coalesce(lines.quantity, 1),
            cast(lines.amount_cents as decimal(18, 4))
        ) as list_amount_cents,
        invoices.subtotal_cents,
        coalesce(
            invoices.total_excluding_tax_cents,
            invoices.total_cents - coalesce(invoice_taxes.tax_cents, 0)
        ) as net_total_cents,
        -- the price's interval; a subscription line whose price is unknown: its period
        coalesce(prices.recurring_interval, subscription_items.recurring_interval, 'month')
            as recurring_interval,
        coalesce(
            prices.recurring_interval_count,
            subscription_items.recurring_interval_count,
            case
                when prices.recurring_interval is null and subscription_items.recurring_interval is null
                    then greatest(1, round({{ period_days }} / 30.4375))
            end,
            1
        ) as recurring_interval_count,
        lines.period_start_at,
        lines.period_end_at,
        subscriptions.ended_at as subscription_ended_at
    from lines
    inner join invoices
        on lines.invoice_row_key = invoices.invoice_row_key
    left join invoice_taxes
        on lines.invoice_row_key = invoice_taxes.invoice_row_key
    left join prices
        on lines.price_id = prices.price_id
    left join subscriptions
        on coalesce(lines.subscription_id, invoices.subscription_id) = subscriptions.subscription_id
    left join subscription_items
        on lines.subscription_item_id = subscription_items.subscription_item_id
    where
        -- recurring: a recurring price, or a line a subscription item generated
        (
            prices.recurring_interval is not null
            or lines.parent_type = 'subscription_item_details'
        )
        and lines.amount_cents > 0
        and invoices.status in ('paid', 'open')
),

final as (
    select
        joined.invoice_line_id,
        joined.invoice_id,
        joined.customer_id,
        joined.subscription_id,
        joined.price_id,
        joined.product_id,
        joined.plan_key,
        coalesce(plans.plan_id, 'unmapped') as plan_id,
        joined.currency,
        coalesce(joined.is_proration, false) as is_proration,
        joined.period_start_at,
        joined.period_end_at,
        joined.subscription_ended_at,
        cast(
            cast(joined.list_amount_cents as decimal(18, 4))
            * case
                when joined.subtotal_cents > 0
                    then cast(joined.net_total_cents as decimal(18, 4)) / joined.subtotal_cents
                else 1
            end
            / case joined.recurring_interval
                when 'year' then 12 * joined.recurring_interval_count
                when 'week' then cast(12 as decimal(18, 4)) / 52 * joined.recurring_interval_count
                when 'day' then cast(12 as decimal(18, 4)) / 365 * joined.recurring_interval_count
                else joined.recurring_interval_count
            end
            / 100
            as decimal(18, 2)
        ) as mrr_amount
    from joined
    left join plans
        on joined.plan_key = plans.plan_id
)

select * from final

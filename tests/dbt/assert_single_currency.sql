-- Revenue is reported in one currency. Any recurring invoice line in another currency than
-- the most common one fails the build, naming the invoice, the line and the currency: convert
-- those invoices upstream or extend the MRR models with exchange rates before loading them.
{{ config(error_if='>0', warn_if='>0') }}

with

lines as (
    select * from {{ ref('int_revenue__recurring_lines') }}
),

currency_counts as (
    select
        currency,
        count(*) as line_count
    from lines
    group by currency
),

main_currency as (
    select currency
    from currency_counts
    order by line_count desc, currency asc
    limit 1
)

select
    lines.invoice_id,
    lines.invoice_line_id,
    lines.customer_id,
    lines.currency,
    (select currency from main_currency) as expected_currency
from lines
where lines.currency != (select currency from main_currency)

-- MRR per customer and calendar month, measured at the end of the month: for each
-- subscription not ended by then, the rate of the billed lines covering the month's last
-- instant; when several cover it (a mid-period upgrade adds a proration line for the new
-- rate), the most recently started period wins, and lines of that period are summed (one
-- per subscription item). Dense from the customer's first paying month to the last complete month of data, so
-- a month without MRR after paying months is a row with 0 (that is what churn looks like).
with

recurring_lines as (
    select * from {{ ref('int_revenue__recurring_lines') }}
),

invoices as (
    select * from {{ ref('stg_revenue__invoices') }}
),

bounds as (
    select
        cast({{ dbt.date_trunc('month', 'min(period_start_at)') }} as timestamp)
            as first_month_at,
        cast(
            {{ dbt.dateadd('month', -1, dbt.date_trunc('month', '(select max(created_at) from invoices)')) }}
            as timestamp
        ) as last_month_at
    from recurring_lines
),

months as (
    {{ timestamp_series('bounds', 'first_month_at', 'last_month_at', '1 month', 'month_at') }}
),

month_ends as (
    select
        cast(month_at as date) as month_start,
        cast({{ dbt.dateadd('month', 1, 'month_at') }} as timestamp) as month_end_at
    from months
),

covering as (
    select
        recurring_lines.customer_id,
        recurring_lines.subscription_id,
        month_ends.month_start,
        recurring_lines.plan_id,
        recurring_lines.currency,
        recurring_lines.mrr_amount,
        recurring_lines.period_start_at,
        max(recurring_lines.period_start_at) over (
            partition by recurring_lines.subscription_id, month_ends.month_start
        ) as latest_period_start_at
    from recurring_lines
    inner join month_ends
        on
            recurring_lines.period_start_at < month_ends.month_end_at
            and recurring_lines.period_end_at >= month_ends.month_end_at
            and (
                recurring_lines.subscription_ended_at is null
                or recurring_lines.subscription_ended_at >= month_ends.month_end_at
            )
),

customer_month_mrr as (
    select
        customer_id,
        month_start,
        max(plan_id) as plan_id,
        max(currency) as currency,
        sum(mrr_amount) as mrr_amount
    from covering
    where period_start_at = latest_period_start_at
    group by customer_id, month_start
),

first_months as (
    select
        customer_id,
        min(month_start) as first_month_start
    from customer_month_mrr
    group by customer_id
),

spine as (
    select
        first_months.customer_id,
        month_ends.month_start
    from first_months
    inner join month_ends
        on first_months.first_month_start <= month_ends.month_start
),

final as (
    select
        spine.customer_id,
        spine.month_start,
        customer_month_mrr.plan_id,
        customer_month_mrr.currency,
        cast(coalesce(customer_month_mrr.mrr_amount, 0) as decimal(18, 2)) as mrr_amount
    from spine
    left join customer_month_mrr
        on
            spine.customer_id = customer_month_mrr.customer_id
            and spine.month_start = customer_month_mrr.month_start
)

select * from final

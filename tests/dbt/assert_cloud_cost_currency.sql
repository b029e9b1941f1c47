-- Cloud cost is in the plans' currency: gross margin subtracts it from MRR. Any day of cost in
-- another currency fails the build, naming the day, the service and both currencies: convert
-- those exports upstream (FOCUS 1.2's x_ columns or the provider's currency setting) or
-- extend the cost models with exchange rates before loading them.
{{ config(error_if='>0', warn_if='>0') }}

with

cost_daily as (
    select * from {{ ref('fct_cloud_cost_daily') }}
),

plans as (
    select * from {{ ref('plans') }}
),

plan_currencies as (
    select distinct upper(currency) as currency
    from plans
    where currency is not null
)

select
    cost_daily.cost_date,
    cost_daily.service_id,
    cost_daily.billing_currency,
    (select min(currency) from plan_currencies) as expected_currency
from cost_daily
where
    exists (select 1 from plan_currencies)
    and (
        cost_daily.billing_currency is null
        or upper(cost_daily.billing_currency) not in (select currency from plan_currencies)
    )

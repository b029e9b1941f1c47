{{ config(severity='warn') }}
-- Warns (never fails) when recurring invoice lines map to no plan of the `plans` seed: their
-- MRR counts under plan `unmapped`. One row per plan key, price and product, each with the fix;
-- the model's post-hook prints the same in one log line per key.
select
    plan_key,
    price_id,
    product_id,
    count(*) as line_count,
    'add plan_id ' || coalesce(plan_key, '(none)') || ' to seeds/plans.csv' as fix
from {{ ref('int_revenue__recurring_lines') }}
where plan_id = 'unmapped'
group by plan_key, price_id, product_id

{#- Post-hook of int_revenue__recurring_lines: one line in the dbt log for every plan key the
    `plans` seed does not list, naming the key, the price and the product, so an account whose
    prices carry no lookup key (or other plan names) learns what to add to seeds/plans.csv.
    The lines still count, under plan `unmapped` (docs/sources/revenue.md). -#}
{% macro report_unmapped_plans(relation) -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select plan_key, price_id, product_id, count(*) as line_count from " ~ relation
            ~ " where plan_id = 'unmapped' group by plan_key, price_id, product_id"
            ~ " order by plan_key, price_id, product_id"
        ) -%}
        {%- for row in found.rows -%}
            {{ log(
                "revenue: plan key '" ~ row[0] ~ "' (price " ~ row[1] ~ ", product " ~ row[2]
                ~ ") is not in seeds/plans.csv: its MRR (" ~ row[3] ~ " invoice lines) counts"
                ~ " under plan 'unmapped'; add a row with plan_id '" ~ row[0] ~ "' to plans.csv",
                info=True
            ) }}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

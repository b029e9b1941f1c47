{#- Continuous percentile of `expression` as an aggregate (p in 0–1). Dispatched: ordered-set
    aggregates are spelled differently per engine. -#}
{% macro percentile(expression, p) -%}
    {{ return(adapter.dispatch('percentile', 'breadcrumbs')(expression, p)) }}
{%- endmacro %}

{% macro default__percentile(expression, p) -%}
    percentile_cont({{ p }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile(expression, p) -%}
    percentile({{ expression }}, {{ p }})
{%- endmacro %}

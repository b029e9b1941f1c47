{#- Mean of a double expression that does not depend on the order rows are added in. DuckDB
    aggregates in parallel, and floating-point addition is not associative, so a plain avg()
    of doubles can differ in the last bit between two builds of the same data. Summing as a
    fixed-point decimal is exact (order-independent); `scale` decimals are kept (9: far below
    any signal's noise). Same result on every engine. -#}
{% macro exact_avg(expression, scale=9) -%}
    cast(sum(cast({{ expression }} as decimal(38, {{ scale }}))) as double precision)
    / nullif(count({{ expression }}), 0)
{%- endmacro %}

{#- Days of the rolling SLO window (var `slo_window_days`, default 28): the error budget's
    window in fct_slo_daily, and the `window_days` of the metrics read over it (the catalog's
    `window_days: slo_window_days`, metric_catalog). -#}
{% macro slo_window_days() -%}
    {{ return(var('slo_window_days', 28)) }}
{%- endmacro %}

{#- The catalog's `window_days` of a metric as a number: an integer, or the name of a window
    var (`slo_window_days`); none when the metric reads no rolling window. -#}
{% macro metrics_window_days(value) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- elif value == 'slo_window_days' -%}
        {{ return(slo_window_days()) }}
    {%- else -%}
        {{ return(value) }}
    {%- endif -%}
{%- endmacro %}

{#- One row per `step` ('1 hour', '1 day') from `start_column` to `end_column` (inclusive) of each
    row of `relation` (usually a one-row CTE of bounds), as column `column_name`, next to the
    relation's other columns. Dispatched: each engine uses its own series generator. -#}
{% macro timestamp_series(relation, start_column, end_column, step, column_name) -%}
    {{ return(adapter.dispatch('timestamp_series', 'breadcrumbs')(relation, start_column, end_column, step, column_name)) }}
{%- endmacro %}

{% macro default__timestamp_series(relation, start_column, end_column, step, column_name) -%}
    {{ exceptions.raise_compiler_error(
        "timestamp_series: no implementation for adapter " ~ adapter.type()
        ~ " (add " ~ adapter.type() ~ "__timestamp_series to macros/time_spine.sql)"
    ) }}
{%- endmacro %}

{#- DuckDB: generate_series is a table function whose column is named after it. -#}
{% macro duckdb__timestamp_series(relation, start_column, end_column, step, column_name) -%}
    select
        {{ relation }}.*,
        cast(series.generate_series as timestamp) as {{ column_name }}
    from {{ relation }}
    cross join generate_series(
        cast({{ relation }}.{{ start_column }} as timestamp),
        cast({{ relation }}.{{ end_column }} as timestamp),
        interval '{{ step }}'
    ) as series
{%- endmacro %}

{% macro postgres__timestamp_series(relation, start_column, end_column, step, column_name) -%}
    select
        {{ relation }}.*,
        cast(series as timestamp) as {{ column_name }}
    from {{ relation }}
    cross join lateral generate_series(
        cast({{ relation }}.{{ start_column }} as timestamp),
        cast({{ relation }}.{{ end_column }} as timestamp),
        interval '{{ step }}'
    ) as series
{%- endmacro %}

{#- Spark: sequence() of timestamps exploded into rows (a lateral view). -#}
{% macro spark__timestamp_series(relation, start_column, end_column, step, column_name) -%}
    select
        {{ relation }}.*,
        cast(series.series_at as timestamp) as {{ column_name }}
    from {{ relation }}
    lateral view explode(sequence(
        cast({{ relation }}.{{ start_column }} as timestamp),
        cast({{ relation }}.{{ end_column }} as timestamp),
        interval {{ step }}
    )) series as series_at
{%- endmacro %}

{#- A UTC `timestamp` (without time zone) from seconds since the Unix epoch, as Stripe sends
    them (`created`, `current_period_start`, ...). Nulls stay null; fractions of a second are
    kept. Independent of the session time zone on both adapters. -#}
{% macro from_unix_seconds(column_name) -%}
    {{ return(adapter.dispatch('from_unix_seconds', 'breadcrumbs')(column_name)) }}
{%- endmacro %}

{% macro default__from_unix_seconds(column_name) -%}
    (to_timestamp({{ column_name }}) at time zone 'UTC')
{%- endmacro %}

{#- DuckDB: microseconds since the epoch are a plain timestamp, no ICU time zone needed. -#}
{% macro duckdb__from_unix_seconds(column_name) -%}
    make_timestamp(cast(round({{ column_name }} * 1000000) as bigint))
{%- endmacro %}

{#- PostgreSQL: to_timestamp(double precision) is a timestamptz; shift it to UTC wall time. -#}
{% macro postgres__from_unix_seconds(column_name) -%}
    (to_timestamp({{ column_name }}) at time zone 'UTC')
{%- endmacro %}

{#- Spark: microseconds since the epoch as an instant, then its UTC wall time. -#}
{% macro spark__from_unix_seconds(column_name) -%}
    to_utc_timestamp(timestamp_micros(cast(round({{ column_name }} * 1000000) as bigint)), current_timezone())
{%- endmacro %}

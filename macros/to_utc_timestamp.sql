{#- A `timestamp with time zone` (how dlt lands ISO-8601 times) as a UTC `timestamp`.

    A plain `cast(x as timestamp)` gives wall time in the *session* time zone: correct while
    dbt builds (the profile sets TimeZone=UTC) but shifted when anyone else queries a staging
    view from another zone, because views are evaluated in the reader's session.
    `x at time zone 'UTC'` is UTC whatever the session, on DuckDB (ICU) and PostgreSQL alike. -#}
{% macro to_utc_timestamp(column_name) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'breadcrumbs')(column_name)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column_name) -%}
    ({{ column_name }} at time zone 'UTC')
{%- endmacro %}

{#- DuckDB: the instant's microseconds since the epoch as a plain timestamp, also independent of
    the session zone, and ~25x faster than `at time zone` (an ICU call per row): 3.6 s vs 0.14 s
    for 10 million values here, which dominated every read of the signal samples' staging view
    at benchmark scale (README "Performance"). -#}
{% macro duckdb__to_utc_timestamp(column_name) -%}
    make_timestamp(epoch_us({{ column_name }}))
{%- endmacro %}

{% macro postgres__to_utc_timestamp(column_name) -%}
    ({{ column_name }} at time zone 'UTC')
{%- endmacro %}

{#- Spark: a timestamp is an instant shown in the session time zone; this gives its UTC wall
    time whatever the session (the profile sets spark.sql.session.timeZone=UTC anyway). -#}
{% macro spark__to_utc_timestamp(column_name) -%}
    to_utc_timestamp({{ column_name }}, current_timezone())
{%- endmacro %}

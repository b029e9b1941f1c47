{#- When dlt loaded a row: its `_dlt_load_id` is the load's start time in Unix seconds, as a
    string with a fraction ('1764088135.123456'). Returns a UTC timestamp. Used for
    `loaded_at` in staging and by source freshness (`loaded_at_query`).
    decimal(18, 6), not dbt.type_numeric() (decimal(28, 6) on DuckDB): a 128-bit decimal
    parses a string some 300 times slower on DuckDB 1.5 (a not_null test on `loaded_at` of
    35 million signal samples took longer than the whole rest of the build); 18 digits hold
    any Unix time with microseconds, and as a double (exact below 2^53 microseconds) the
    seconds convert to microseconds without overflowing decimal(18, 6); same result. -#}
{% macro dlt_loaded_at(column_name='_dlt_load_id') -%}
    {{ from_unix_seconds('cast(cast(' ~ column_name ~ ' as decimal(18, 6)) as double precision)') }}
{%- endmacro %}

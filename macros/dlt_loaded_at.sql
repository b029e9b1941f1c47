{#- When dlt loaded a row: its `_dlt_load_id` is the load's start time in Unix seconds, as a
    string with a fraction ('1764088135.123456'). Returns a UTC timestamp. Used for
    `loaded_at` in staging and by source freshness (`loaded_at_query`). -#}
{% macro dlt_loaded_at(column_name='_dlt_load_id') -%}
    {{ from_unix_seconds('cast(' ~ column_name ~ ' as ' ~ dbt.type_numeric() ~ ')') }}
{%- endmacro %}

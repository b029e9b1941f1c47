{#- Cast that yields null instead of failing on a value that does not convert (a malformed
    record from a drifting API). dbt.safe_cast is a plain cast on DuckDB, so this project
    dispatches its own:
    - duckdb: try_cast, null on failure.
    - postgres: PostgreSQL has no try_cast. A plain cast is used, wrapped in parentheses so it
      composes in any expression; a value that does not convert fails the model loudly
      rather than turning into a silent null (PostgreSQL 16+ could use pg_input_is_valid,
      but the project supports older servers). Staging on PostgreSQL therefore relies on the
      dlt sources' typed columns, which already reject malformed values at load time.
    - default: dbt's own safe_cast for adapters that have one (Snowflake, BigQuery, Spark). -#}
{% macro safe_cast(field, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'breadcrumbs')(field, type)) }}
{%- endmacro %}

{% macro default__safe_cast(field, type) -%}
    {{ dbt.safe_cast(field, type) }}
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro postgres__safe_cast(field, type) -%}
    (cast({{ field }} as {{ type }}))
{%- endmacro %}

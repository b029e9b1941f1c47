{#- Spark over a Parquet lake: declare every source table dlt's filesystem destination wrote
    (<lake>/<source schema>/<table>/*.parquet, the layout of `ingest(destination=filesystem)`)
    as an external table of its source schema, so `source()` works unchanged. `tables` limits
    it to the landed ones ('raw_revenue.credit_notes', ...; source_or_empty covers the others).
    The lake comes from var `lake_path`, else env BREADCRUMBS_LAKE. Run it before `dbt build`
    on the spark target: `dbt run-operation register_lake_sources --target spark`, or in the
    build's on-run-start with `--vars '{lake_tables: [...]}'` (one Spark session fewer). A
    no-op on other adapters, where dlt loads the source schemas directly. -#}
{% macro register_lake_sources(tables=none) -%}
    {{ return(adapter.dispatch('register_lake_sources', 'breadcrumbs')(tables)) }}
{%- endmacro %}

{% macro default__register_lake_sources(tables=none) -%}
    {{ log("register_lake_sources: nothing to do on " ~ adapter.type(), info=true) }}
{%- endmacro %}

{% macro spark__register_lake_sources(tables=none) -%}
    {%- set lake = var('lake_path', env_var('BREADCRUMBS_LAKE', '')) | replace('file://', '') -%}
    {%- if not lake -%}
        {{ exceptions.raise_compiler_error("register_lake_sources: set BREADCRUMBS_LAKE or var lake_path to the Parquet lake") }}
    {%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set registered = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- set location = lake ~ '/' ~ node.schema ~ '/' ~ node.identifier -%}
        {%- if tables is none or (node.schema ~ '.' ~ node.identifier) in tables -%}
            {%- do run_query('create schema if not exists ' ~ node.schema) -%}
            {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.identifier) -%}
            {%- do run_query('create table ' ~ node.schema ~ '.' ~ node.identifier
                ~ " using parquet options (path '" ~ location ~ "', pathGlobFilter '*.parquet')") -%}
            {%- do registered.append(node.schema ~ '.' ~ node.identifier) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log("register_lake_sources: " ~ registered | length ~ " tables over " ~ lake, info=true) }}
{%- endmacro %}

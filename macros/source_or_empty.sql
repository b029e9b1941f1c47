{#- `select * from` a source table, or, when the table has not been landed yet, an empty
    select of its declared columns (`columns:` with `data_type` in the source YAML).

    dlt creates a table only once a record arrives, and some tables legitimately stay empty
    (an organisation with no credit notes yet). Staging views over them must still build;
    the view is recreated on every `dbt build`, so it reads the real table as soon as one
    exists. Use only for tables that can be empty; every other source must exist. -#}
{% macro source_or_empty(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = none -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
    {%- endif -%}
    {%- if execute and found is none -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name)
            | first -%}
        {%- if not node.columns -%}
            {{ exceptions.raise_compiler_error(
                "source_or_empty: " ~ source_name ~ "." ~ table_name ~ " is not landed and declares no columns"
            ) }}
        {%- endif -%}
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- `select * from` a source table, with a typed NULL for every declared column the table does
    not have, or, when the table has not been landed yet, an empty select of its declared
    columns (`columns:` with `data_type` in the source YAML).

    dlt creates a table only once a record arrives (a child table only for a non-empty list),
    and it drops a column whose value was null or absent in every record it has seen. Real
    APIs send both: an organisation with no credit notes yet, workflow runs from forks with
    `pull_requests: []`, prices without a `lookup_key`. Staging views over such tables must
    still build; the view is recreated on every `dbt build`, so it reads the real table and
    column as soon as they exist. Declare in the source YAML every column staging reads that
    the API marks optional or nullable; every other source table must exist. A column whose
    name is a keyword (PagerDuty's `at`) sets `quote: true` and is quoted. -#}
{% macro source_or_empty(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = none -%}
    {%- set node = none -%}
    {#- a dbt unit test replaces the source with its fixture (no schema or identifier to look
        up): read it as given -#}
    {%- set is_fixture = relation.identifier is none or relation.schema is none -%}
    {%- if execute and is_fixture -%}
        {{ return("select * from " ~ relation) }}
    {%- endif -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name)
            | first -%}
    {%- endif -%}
    {%- if execute and found is none -%}
        {%- if not node.columns -%}
            {{ exceptions.raise_compiler_error(
                "source_or_empty: " ~ source_name ~ "." ~ table_name ~ " is not landed and declares no columns"
            ) }}
        {%- endif -%}
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) if column.quote else column.name }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0
    {%- elif execute and node.columns -%}
        {%- set landed = adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list -%}
        select
            *
        {%- for column in node.columns.values() if column.name | lower not in landed %},
            cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) if column.quote else column.name }}
        {%- endfor %}
        from {{ relation }}
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}

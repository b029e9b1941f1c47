{#- dbt's `ref`, except that a view on DuckDB names what it reads without its database
    (`metrics.m_mrr`, not `"breadcrumbs"."metrics"."m_mrr"`). DuckDB stores a view's query as
    written, and the published snapshot is written from the warehouse attached under another
    name (breadcrumbs/publish.py), where a view naming its database finds no such catalog.
    Without a database the view reads from the database it is in, whatever its name. Every
    other model, adapter and test keeps dbt's own relation. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if target.type == 'duckdb' and execute and relation is not string
            and model.config.materialized == 'view' -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

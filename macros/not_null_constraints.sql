{#- `not_null` of the contracted marts and metric tables is a contract constraint, not a data
    test node (docs/performance.md "Fixed cost"): DuckDB and PostgreSQL refuse the build when a
    constrained column gets a null (`create table (... not null)` then `insert`), as a failing
    `not_null` test would, without one more node per column in every build.
    dbt-spark sets NOT NULL only on Delta tables and skips it silently on the Parquet tables this
    project builds (profiles.yml): on Spark the constraint is checked here instead, one query per
    model after it is built, and the build fails with the columns and their null counts. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if not contract_config.enforced -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- if config.get('file_format') == 'delta' -%}
        {#- dbt-spark's own: ALTER TABLE ... SET NOT NULL, which Delta enforces. Only when the
            model asks for Delta: dbt-spark assumes Delta when file_format is unset, but a
            session without Delta creates v1 (Parquet) tables, which refuse that ALTER -#}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, column in model.columns.items() -%}
        {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
            {%- do columns.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not columns -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set check -%}
        select
        {%- for name in columns %}
            sum(case when {{ adapter.quote(name) }} is null then 1 else 0 end) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
        from {{ relation }}
    {%- endset -%}
    {%- set row = run_query(check).rows[0] -%}
    {%- set failed = [] -%}
    {%- for name in columns -%}
        {%- if (row[loop.index0] or 0) > 0 -%}
            {%- do failed.append(name ~ ' (' ~ row[loop.index0] ~ ' rows)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if failed -%}
        {{ exceptions.raise_compiler_error(
            "NOT NULL constraint failed on " ~ relation ~ ": " ~ failed | join(', ')
            ~ "; fix the model (or its inputs) so these columns are never null") }}
    {%- endif -%}
{% endmacro %}

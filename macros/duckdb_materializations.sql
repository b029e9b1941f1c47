{#- The table and view materializations on DuckDB, leaner than dbt-duckdb's own: each model is
    one statement inside its transaction (drop the old relation, create the new one, comment it)
    instead of dbt-duckdb's create-intermediate, rename-old-to-backup, rename-new, drop-backup
    sequence and a DESCRIBE for the column comments. dbt's cost per statement (events, the
    connection, the result as an agate table) is most of what a model costs on small data:
    docs/performance.md, "Sixth round". Same DDL otherwise: dbt-duckdb's `create_table_as`
    (the contract's check and constraints) and `create_view_as`; grants and hooks as before.
    DuckDB's transactional DDL makes the drop-and-create atomic, as the renames were: another
    connection sees the old relation until the commit.

    Column comments are written for the columns the YAML documents, without asking the
    database which exist: a documented column the model does not have fails the build
    (`... does not have a column with name ...`), so the docs cannot describe a column that is not
    there. Unsupported here (refused, never half-built): foreign-key constraints, which keep
    the table from being dropped (dbt-duckdb rebuilds those in place), and Python models;
    partitioned/sorted DuckLake tables. PostgreSQL and Spark keep their adapters' own. -#}

{% materialization table, adapter="duckdb", supported_languages=["sql"] %}
    {%- do duckdb_lean_refuse_unsupported(model) -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type="table") -%}
    {%- set grant_config = config.get("grants") -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {#- `BEGIN` happens here -#}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% call statement("main") -%}
        {{ duckdb_lean_drop(existing_relation) }}
        {{ create_table_as(False, target_relation, compiled_code) }}
        {{ duckdb_lean_comments(target_relation, model) }}
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
    {#- `COMMIT` happens here -#}
    {{ adapter.commit() }}
    {%- do duckdb_lean_forget(existing_relation, target_relation) -%}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}

{% materialization view, adapter="duckdb" %}
    {%- do duckdb_lean_refuse_unsupported(model) -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type="view") -%}
    {%- set grant_config = config.get("grants") -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% call statement("main") -%}
        {{ duckdb_lean_drop(existing_relation) }}
        {{ get_create_view_as_sql(target_relation, sql) }}
        {{ duckdb_lean_comments(target_relation, model) }}
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
    {{ adapter.commit() }}
    {%- do duckdb_lean_forget(existing_relation, target_relation) -%}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}

{% macro duckdb_lean_refuse_unsupported(model) %}
    {%- if model.get("language", "sql") != "sql" -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ": the project's DuckDB materializations build SQL models only "
            ~ "(macros/duckdb_materializations.sql); write it in SQL") -%}
    {%- endif -%}
    {%- if config.get("partitioned_by") or config.get("sorted_by") -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ": partitioned_by/sorted_by (DuckLake) are not supported by the "
            ~ "project's DuckDB materializations (macros/duckdb_materializations.sql)") -%}
    {%- endif -%}
    {%- set constraints = (model.get("constraints") or []) | list -%}
    {%- for column in (model.get("columns") or {}).values() -%}
        {%- do constraints.extend(column.get("constraints") or []) -%}
    {%- endfor -%}
    {%- if constraints | selectattr("type", "equalto", "foreign_key") | list -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ": a foreign-key constraint keeps the table from being dropped and "
            ~ "rebuilt by the project's DuckDB materializations (macros/duckdb_materializations.sql); "
            ~ "test the relationship with a `relationships` data test instead") -%}
    {%- endif -%}
{% endmacro %}

{#- the old relation, dropped inside the build's transaction (a view replaced by a table or the
    other way round included); nothing when there is none -#}
{% macro duckdb_lean_drop(existing_relation) -%}
    {%- if existing_relation is not none -%}
        drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif -%}
{%- endmacro %}

{#- `comment on` the relation (dbt-duckdb's own statement) and each documented column, as
    `persist_docs` asks (dbt's own tests of the config) -#}
{% macro duckdb_lean_comments(relation, model) -%}
    {%- if config.persist_relation_docs() and model.description -%}
        {{ "\n" }}{{ alter_relation_comment(relation, model.description) | trim }}
    {%- endif -%}
    {%- if config.persist_column_docs() -%}
        {%- for name, column in model.columns.items() -%}
            {{ "\n" }}comment on column {{ relation }}.{{ adapter.quote(name) if column.quote else name }} is {{ duckdb_escape_comment(column.description or "") }};
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- dbt's relation cache: the old relation is gone, the new one is there (its type may differ) -#}
{% macro duckdb_lean_forget(existing_relation, target_relation) %}
    {%- if existing_relation is not none and existing_relation.type != target_relation.type -%}
        {%- do adapter.cache_dropped(existing_relation) -%}
    {%- endif -%}
{% endmacro %}

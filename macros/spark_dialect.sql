{#- Spark SQL spells three of the project's portable type names differently: it has no
    `double precision` (it is `double`), no `varchar` without a length (it is `string`) and no
    `timestamp with time zone` (its `timestamp` is the instant, shown in the session time zone:
    the same meaning; source_or_empty casts dlt's timestamps to it for a table not landed).
    The models, seeds and contracts use the names DuckDB and PostgreSQL share
    (tests/portability/duckdb_only.py lists the DuckDB-only ones they must avoid); on the
    spark target, every statement dbt sends is translated here, in one place, instead of
    forking the models. The overrides, all in this file:
    - statement: dbt-core's macro (called directly, so it cannot be dispatched: dbt's own note
      says to redefine it) with the translation on spark; other adapters run dbt's body
      unchanged (tests/portability/test_spark_dialect.py compares it with the installed dbt).
    - spark__load_csv_rows: dbt-spark's seed loader (it sends inserts with adapter.add_query,
      not through statement) with the column types translated (same test).
    - spark__get_assert_columns_equivalent: no contract type assertion on Spark. -#}
{% macro spark_dialect(sql) -%}
    {%- set translated = namespace(sql=sql) -%}
    {%- for portable, spark in spark_type_names() -%}
        {%- set translated.sql = modules.re.sub(portable, spark, translated.sql) -%}
    {%- endfor -%}
    {{ return(translated.sql) }}
{%- endmacro %}

{#- (regular expression of the portable name, Spark's name) -#}
{% macro spark_type_names() -%}
    {{ return([
        ('(?i)\\bdouble\\s+precision\\b', 'double'),
        ('(?i)\\bvarchar\\b(?!\\s*\\()', 'string'),
        ('(?i)\\btimestamp\\s+with\\s+time\\s+zone\\b', 'timestamp'),
    ]) }}
{%- endmacro %}

{%- macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute: -%}
    {%- set compiled_code = caller() -%}
    {%- if language == 'sql' and target.type in ('spark', 'databricks') -%}
      {%- set compiled_code = spark_dialect(compiled_code) -%}
    {%- endif -%}

    {%- if name == 'main' -%}
      {{ log('Writing runtime {} for node "{}"'.format(language, model['unique_id'])) }}
      {{ write(compiled_code) }}
    {%- endif -%}
    {%- if language == 'sql'-%}
      {%- set res, table = adapter.execute(compiled_code, auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- elif language == 'python' -%}
      {%- set res = submit_python_job(model, compiled_code) -%}
      {%- set table = None -%}
    {%- else -%}
      {% do exceptions.raise_compiler_error("statement macro didn't get supported language") %}
    {%- endif -%}

    {%- if name is not none -%}
      {{ store_result(name, response=res, agate_table=table) }}
    {%- endif -%}

  {%- endif -%}
{%- endmacro %}

{#- Contracts are enforced on DuckDB and PostgreSQL (make test, make test-postgres); Spark
    reports `string`/`double` where the YAML says varchar/double precision, so the column
    type assertion is skipped on Spark (column names are still checked by the build). -#}
{% macro spark__get_assert_columns_equivalent(sql) -%}
    {{ return('') }}
{%- endmacro %}

{#- dbt-spark's seed loader sends its inserts with adapter.add_query, not through statement:
    the same loader with the column types translated. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set bindings = [] %}
      {% for row in chunk %}
          {% do bindings.extend(row) %}
      {% endfor %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  {%- set type = spark_dialect(column_override.get(col_name, inferred_type)) -%}
                    cast({{ get_binding_char() }} as {{ type }})
                  {%- if not loop.last %},{%- endif %}
              {%- endfor -%})
              {%- if not loop.last %},{%- endif %}
          {%- endfor %}
      {% endset %}
      {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}
      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}
  {{ return(statements[0]) }}
{% endmacro %}

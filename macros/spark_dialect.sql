{#- Spark SQL spells two of the project's portable type names differently: it has no
    `double precision` (it is `double`) and no `varchar` without a length (it is `string`).
    The models, seeds and contracts use the names DuckDB and PostgreSQL share; on the spark
    target, every statement dbt sends is translated here, in one place, instead of forking the
    models. Other targets get dbt's statement macro unchanged (same body, no translation).
    dbt's own note: macros called directly (not dispatched) are overridden by redefining them. -#}
{% macro spark_dialect(sql) -%}
    {%- set sql = modules.re.sub('(?i)\\bdouble\\s+precision\\b', 'double', sql) -%}
    {%- set sql = modules.re.sub('(?i)\\bvarchar\\b(?!\\s*\\()', 'string', sql) -%}
    {{ return(sql) }}
{%- endmacro %}

{%- macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute: -%}
    {%- set compiled_code = caller() -%}
    {%- if language == 'sql' and target.type == 'spark' -%}
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

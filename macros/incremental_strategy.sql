{#- The incremental strategy of a model on the current adapter. Models state what they need
    (`replace rows by unique_key`, i.e. delete+insert) and this picks the adapter's way to do
    it without losing data:
    - duckdb, postgres: delete+insert (or the one asked for).
    - spark: `merge` for Delta/Iceberg/Hudi tables; `insert_overwrite` only with `partition_by`
      (dynamic partition overwrite replaces just the partitions in the batch). Parquet without
      partitions has no safe strategy: insert_overwrite there would replace the whole table
      with the batch, so compilation fails naming the model instead.
    Use: config(materialized='incremental', incremental_strategy=incremental_strategy(), ...). -#}
{% macro incremental_strategy(preferred='delete+insert') -%}
    {{ return(adapter.dispatch('incremental_strategy', 'breadcrumbs')(preferred)) }}
{%- endmacro %}

{% macro default__incremental_strategy(preferred) -%}
    {{ return(preferred) }}
{%- endmacro %}

{% macro spark__incremental_strategy(preferred) -%}
    {%- if config.get('file_format') in ('delta', 'iceberg', 'hudi') -%}
        {{ return('merge') }}
    {%- elif config.get('partition_by') -%}
        {{ return('insert_overwrite') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": no incremental strategy without data loss on Spark/Parquet without "
            ~ "partitions (insert_overwrite would keep only the new batch): set partition_by, "
            ~ "or file_format='delta', or materialize it as a table on this target"
        ) }}
    {%- endif -%}
{%- endmacro %}

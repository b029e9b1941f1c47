{#- The incremental settings of a model on the current adapter, as config() keywords. A model
    states what it needs — replace its rows by `unique_key`, and the column that splits it into
    partitions the batch always covers whole (`partition_by`) — and this picks the adapter's
    way to do it without losing rows:
    - duckdb, postgres: delete+insert by unique_key (or the strategy asked for).
    - spark (and databricks): `merge` by unique_key when the tables are Delta/Iceberg/Hudi
      (var lake_file_format, Databricks' default is Delta); on plain Parquet
      `insert_overwrite` partitioned by `partition_by` (dbt-spark turns on dynamic partition
      overwrite, so only the partitions in the batch are replaced: the model's incremental
      filter must select whole partitions). Without a partition column there is no safe
      strategy on Parquet — insert_overwrite would replace the table with the batch — so the
      parse fails naming the model.
    Use: config(materialized='incremental', **incremental_config(unique_key=..., partition_by=...)).
    make test-spark checks a day-later incremental run equals a full rebuild on Spark. -#}
{% macro incremental_config(unique_key, partition_by=none, preferred='delete+insert') -%}
    {{ return(adapter.dispatch('incremental_config', 'breadcrumbs')(
        unique_key, partition_by, preferred)) }}
{%- endmacro %}

{% macro default__incremental_config(unique_key, partition_by, preferred) -%}
    {{ return({'incremental_strategy': preferred, 'unique_key': unique_key}) }}
{%- endmacro %}

{% macro spark__incremental_config(unique_key, partition_by, preferred) -%}
    {%- set file_format = var('lake_file_format',
                              'delta' if target.type == 'databricks' else 'parquet') -%}
    {%- if file_format in ('delta', 'iceberg', 'hudi') -%}
        {{ return({'incremental_strategy': 'merge', 'unique_key': unique_key,
                   'file_format': file_format}) }}
    {%- elif partition_by -%}
        {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': partition_by,
                   'unique_key': unique_key}) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": no incremental strategy without data loss on Spark over "
            ~ file_format ~ " without partitions (insert_overwrite would keep only the new "
            ~ "batch): give incremental_config a partition_by column, set var "
            ~ "lake_file_format to delta, or materialize the model as a table"
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- Fails for every combination of the given columns that occurs more than once (the
    dbt_utils test of the same name, without the hub package). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch('unique_combination_of_columns_sql', 'breadcrumbs')(
        model, combination_of_columns)) }}
{% endtest %}

{% macro default__unique_combination_of_columns_sql(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}
    select
        {{ columns_csv }},
        count(*) as n_records
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endmacro %}

{#- DuckDB: the same rows, found in two passes so that the large tables' test fits the memory
    limit: first the 64-bit hashes of the combinations that occur more than once (a hash table
    of fixed-size keys, which spills well; the signal samples' keys are long strings, and two
    such tests side by side ran out of 4 GB on the 255-million-row benchmark), then the exact
    combinations among the rows with those hashes (a hash collision is not a failure). -#}
{% macro duckdb__unique_combination_of_columns_sql(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}
    with repeated_hashes as (
        select hash({{ columns_csv }}) as combination_hash
        from {{ model }}
        group by 1
        having count(*) > 1
    )

    select
        {{ columns_csv }},
        count(*) as n_records
    from {{ model }}
    where hash({{ columns_csv }}) in (select combination_hash from repeated_hashes)
    group by {{ columns_csv }}
    having count(*) > 1
{% endmacro %}

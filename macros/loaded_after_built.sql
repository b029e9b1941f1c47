{#- Incremental models built "by change" (the CI chain): each row carries `loaded_at`, the newest
    dlt load among the raw rows it is computed from, so the newest `loaded_at` already in the
    table is how far the table has read the loads. `loaded_after_built()` is a condition true
    for a `loaded_at` landed after that: a scheduled run rebuilds the partitions (weeks) that
    hold such a row, whatever the age of the data, so a re-run of a months-old workflow run
    is picked up without a lookback window. An empty table has read nothing (every row is
    after). dlt's load ids grow with time and one writer loads before dbt builds
    (docs/operations.md), so a load the table has not read is always after the newest it has.
    Use inside `{% if is_incremental() %}`: where {{ loaded_after_built('loaded_at') }} -#}
{% macro loaded_after_built(column) -%}
    {{ column }} > (
        select coalesce(max(loaded_at), cast('1970-01-01 00:00:00' as timestamp))
        from {{ this }}
    )
{%- endmacro %}

{#- Incremental models built "by change" (the CI chain, the features' first uses): each row
    carries the newest dlt load it was built from (`loaded_at`, or the raw `load_id`), so the
    newest one in the table is how far the table has read the loads.
    `loaded_after_built(expression)` is a condition true for a load (`expression`) landed after
    that: a scheduled run rebuilds what such a load touches, whatever the age of the data, so a
    re-run of a months-old workflow run is picked up without a lookback window. An empty table
    has read nothing (`empty`: every load is after it). dlt's load ids grow with time and one
    writer loads before dbt builds (docs/operations.md), so a load the table has not read is
    always after the newest it has. The newest load read is a constant in the model's SQL
    (query_literal), so on a raw `load_id` the condition lets DuckDB skip the row groups of
    older loads.
    `load_id`: the raw dlt load id of the same rows (a staging view's `load_id`), when the
    expression is a `loaded_at` computed from it. On DuckDB the condition then also holds
    `load_id >= '<whole seconds of the newest loaded_at>'`, which every later load meets (load
    ids are Unix seconds with ten integer digits, so they compare as text), so DuckDB skips the
    older loads' row groups instead of computing `loaded_at` for every row of the history.
    Use inside `{% if is_incremental() %}`:
        where {{ loaded_after_built('loaded_at') }}
        where {{ loaded_after_built('loaded_at', load_id='load_id') }}
        where {{ loaded_after_built('load_id', column='load_id', empty="''",
                                    data_type=dbt.type_string()) }} -#}
{% macro loaded_after_built(expression, column='loaded_at',
                            empty="cast('1970-01-01 00:00:00' as timestamp)",
                            data_type=none, load_id=none) -%}
    {{ expression }} > {{ query_literal(
        "select coalesce(max(built." ~ column ~ "), " ~ empty ~ ") from " ~ this ~ " as built",
        data_type or dbt.type_timestamp()) }}
    {%- if load_id is not none and target.type == 'duckdb' %}
    and {{ load_id }} >= {{ query_literal(
        "select cast(coalesce(floor(epoch(max(built." ~ column ~ "))), 0) as bigint) from "
        ~ this ~ " as built", dbt.type_string()) }}
    {%- endif %}
{%- endmacro %}

{#- Stops an incremental run of a table built before it had `columns` (a warehouse built by an
    earlier version of the project) with the one fix, instead of a binder error: the table has
    to be rebuilt once. Call at the top of the model: {{ incremental_requires(['loaded_at']) }} -#}
{% macro incremental_requires(columns) -%}
    {#- in a dbt unit test `this` is the fixture's name, not a table -#}
    {%- if execute and is_incremental() and this is not string -%}
        {%- set built = [] -%}
        {%- for built_column in adapter.get_columns_in_relation(this) -%}
            {%- do built.append(built_column.name | lower) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in columns if column | lower not in built -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built before it had " ~ missing | join(", ")
                ~ ": rebuild it once with `breadcrumbs run --full-refresh` (or `dbt build "
                ~ "--full-refresh --select " ~ this.identifier ~ "+`)") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A condition true for a load stamp (`expression`, a timestamp such as `loaded_at`) after the
    last green scheduled build's newest load (BREADCRUMBS_TESTS_LOADED_AFTER, which
    `breadcrumbs run` passes, docs/operations.md): what every run since that build rebuilt is
    among those rows. Without it (the first run, `--full-refresh`, the demo, a plain
    `dbt build`): always true. The marts built from an incremental-by-change model (fct_ci_runs
    from int_delivery__ci_runs) rebuild the partitions such a row of the model holds: they
    carry no load stamp of their own, so two warehouses with the same data hold the same marts.
    Use inside `{% if is_incremental() %}`. -#}
{% macro loaded_since_last_green_build(expression) -%}
    {%- set loaded_after = env_var('BREADCRUMBS_TESTS_LOADED_AFTER', '') -%}
    {%- if loaded_after -%}
        {{ expression }} > {{ dlt_loaded_at(load_id_literal(loaded_after)) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

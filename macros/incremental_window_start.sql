{#- The first period an incremental model (re)computes, as a SQL expression of type timestamp:
    null on a full build (everything), else the latest `column` already built minus `lookback`
    `unit`s, truncated to the start of its `truncate_to` (a whole day, week or month), never
    before the first one. The value is read when the model runs and written into its SQL as a
    constant (query_literal), so a filter `column >= <window start>` lets DuckDB skip the row
    groups before it instead of reading the whole history.
    Defaults (the hourly signal chain): 72 hours (var `signals_lookback_hours`) back, to
    midnight: whole days, so on Spark the batch covers whole `signal_date` partitions, which
    insert_overwrite replaces. Every model of the hourly chain uses this one window, so a
    scheduled run re-reads the same late samples in all of them; metric_status passes its own.
    The model passes its own is_incremental() (a unit test overrides that in the model's
    context only). Use:
        {%- set window_start = incremental_window_start('hour_at', is_incremental()) %}
        ... where {{ window_start }} is null or hour_at >= {{ window_start }} -#}
{% macro incremental_window_start(column, incremental, lookback=none, unit='hour',
                                  truncate_to='day') -%}
    {%- set lookback = var('signals_lookback_hours', 72) if lookback is none else lookback -%}
    {%- if incremental -%}
        {{ query_literal(
            "select greatest(min(" ~ column ~ "), "
            ~ dbt.date_trunc(truncate_to, dbt.dateadd(unit, -lookback, 'max(' ~ column ~ ')'))
            ~ ") from " ~ this,
            dbt.type_timestamp()) }}
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#- The one value of `query` (a select of one row and one column) as a constant of
    `data_type`, read when the model runs: `cast('<value>' as <data_type>)`, or a typed null.
    A filter on a constant lets DuckDB skip row groups by their min/max (zone maps); the same
    filter on a scalar subquery is a join that reads every row of the history.
    At parse time, and in a dbt unit test (where `this` is a fixture's name, not a table), the
    scalar subquery itself, which selects the same rows. -#}
{% macro query_literal(query, data_type) -%}
    {%- set read = query_value(query) -%}
    {%- if read is none -%}
        cast(({{ query }}) as {{ data_type }})
    {%- else -%}
        {{ sql_literal(read.value, data_type) }}
    {%- endif -%}
{%- endmacro %}

{#- The one value of `query` as text, read now: `{'value': <text or none>}`; none when nothing
    can be read (parse time, or a dbt unit test, where `this` is a fixture's name). -#}
{% macro query_value(query) -%}
    {%- if execute and this is not string -%}
        {{ return({'value': run_query(
            "select cast((" ~ query ~ ") as " ~ dbt.type_string() ~ ")").columns[0].values()[0]}) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- `value` (text or none) as a SQL constant of `data_type`, quoted by metrics_literal (each
    adapter's escaping). -#}
{% macro sql_literal(value, data_type) -%}
    cast({{ metrics_literal(value) }} as {{ data_type }})
{%- endmacro %}

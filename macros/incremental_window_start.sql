{#- The first period an incremental model (re)computes, as a one-row select of
    `window_start_at`: null on a full build (everything), else the latest `column` already
    built minus `lookback` `unit`s, truncated to the start of its `truncate_to` (a whole
    day, week or month), never before the first one.
    Defaults (the hourly signal chain): 72 hours (var `signals_lookback_hours`) back, to
    midnight: whole days, so on Spark the batch covers whole `signal_date` partitions, which
    insert_overwrite replaces. Every model of the hourly chain uses this one window, so a
    scheduled run re-reads the same late samples in all of them; metric_status passes its own.
    The model passes its own is_incremental() (a unit test overrides that in the model's
    context only). Use: built as ({{ incremental_window_start('hour_at', is_incremental()) }}). -#}
{% macro incremental_window_start(column, incremental, lookback=none, unit='hour',
                                  truncate_to='day') -%}
    {%- set lookback = var('signals_lookback_hours', 72) if lookback is none else lookback -%}
    {%- if incremental -%}
        select
            greatest(
                min({{ column }}),
                {{ dbt.date_trunc(truncate_to, dbt.dateadd(
                    unit, -lookback, 'max(' ~ column ~ ')')) }}
            ) as window_start_at
        from {{ this }}
    {%- else -%}
        select cast(null as timestamp) as window_start_at
    {%- endif -%}
{%- endmacro %}

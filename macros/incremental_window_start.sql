{#- The first hour an incremental model over hourly signals (re)computes, as a one-row select
    of `window_start_at`: null on a full build (everything), else midnight of the day
    `lookback_hours` (var `signals_lookback_hours`, default 72) before the latest `column`
    already built, never before the first one. Whole days, so on Spark the batch covers whole
    `signal_date` partitions, which insert_overwrite replaces. Every model of the hourly chain
    uses this one window, so a scheduled run re-reads the same late samples in all of them.
    The model passes its own is_incremental() (a unit test overrides that in the model's
    context only). Use: built as ({{ incremental_window_start('hour_at', is_incremental()) }}). -#}
{% macro incremental_window_start(column, incremental) -%}
    {%- if incremental -%}
        select
            greatest(
                min({{ column }}),
                {{ dbt.date_trunc('day', dbt.dateadd(
                    'hour', -var('signals_lookback_hours', 72), 'max(' ~ column ~ ')')) }}
            ) as window_start_at
        from {{ this }}
    {%- else -%}
        select cast(null as timestamp) as window_start_at
    {%- endif -%}
{%- endmacro %}

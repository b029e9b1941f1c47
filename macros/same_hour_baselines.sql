{#- The same-hour median baseline of each complete service hour: for every row of
    `complete_hours` (a relation or CTE with service_id, hour_at and the `columns`, complete
    hours only), the median of each column over the same hour of day on the previous `days`
    days (24·k hours earlier, k = 1..days; hours missing from `complete_hours` are not counted),
    and how many such hours there were (`baseline_hours`, 0 when none).
    Returns a select of service_id, hour_at, baseline_hours and `<column>_baseline` per column.
    One definition, two query plans (dispatched; outputs equal, checked table by table by make
    test-postgres and make test-spark against DuckDB):
    - default (PostgreSQL, Spark): each hour moved forward by 1..days whole days onto the hours
      it is a baseline for, then a grouped median (the ordered-set aggregate is no window
      function on PostgreSQL);
    - duckdb: a windowed median over the same hour of day, RANGE `days` days to 1 day before
      (no days-fold copy of the hours: 14 × 8.8 M rows at the benchmark's scale). -#}
{% macro same_hour_baselines(complete_hours, columns, days) -%}
    {{ return(adapter.dispatch('same_hour_baselines', 'breadcrumbs')(
        complete_hours, columns, days)) }}
{%- endmacro %}

{% macro default__same_hour_baselines(complete_hours, columns, days) -%}
    select
        hours.service_id,
        hours.hour_at,
        coalesce(baselines.baseline_hours, 0) as baseline_hours
        {%- for column in columns %},
        baselines.{{ column }}_baseline
        {%- endfor %}
    from {{ complete_hours }} as hours
    left join (
        select
            shifted.service_id,
            shifted.baseline_for_hour_at,
            count(*) as baseline_hours
            {%- for column in columns %},
            {{ percentile('shifted.' ~ column, 0.5) }} as {{ column }}_baseline
            {%- endfor %}
        from (
            select
                earlier.service_id,
                {{ dbt.dateadd('hour', '24 * days_back.day_offset', 'earlier.hour_at') }}
                    as baseline_for_hour_at
                {%- for column in columns %},
                earlier.{{ column }}
                {%- endfor %}
            from {{ complete_hours }} as earlier
            cross join (
                select series.generated_number as day_offset
                from ({{ dbt.generate_series(days) }}) as series
            ) as days_back
        ) as shifted
        group by shifted.service_id, shifted.baseline_for_hour_at
    ) as baselines
        on
            hours.service_id = baselines.service_id
            and hours.hour_at = baselines.baseline_for_hour_at
{%- endmacro %}

{% macro duckdb__same_hour_baselines(complete_hours, columns, days) -%}
    select
        service_id,
        hour_at,
        count(*) over same_hour as baseline_hours
        {%- for column in columns %},
        quantile_cont({{ column }}, 0.5) over same_hour as {{ column }}_baseline
        {%- endfor %}
    from {{ complete_hours }}
    window same_hour as (
        partition by service_id, extract(hour from hour_at)
        order by hour_at
        range between interval '{{ days }} days' preceding and interval '1 day' preceding
    )
{%- endmacro %}

{#- A `max` of the time of a staging view over a large append-only source (the signal
    samples) reads only the loads holding the latest rows, on DuckDB. The view computes its
    time from the source's column (the samples' `sampled_at` from the raw `ts`, UTC whatever
    the session's time zone), and DuckDB cannot skip row groups through that expression: the
    `max` reads the whole history (1.7 s at 4 x the benchmark's history). On the raw column it
    can, and on the load id too, so the oldest load holding a row at the source's latest time
    is read on the raw table first and the view is filtered by `load_id >= <that load>`. Only
    for a view that keeps every row of its source (stg_signals__samples renames, casts and
    hashes): the view's latest row is then the source's, in a load the bound keeps.
    (The hourly chain's window is not bounded this way: its 72 hours reach into the loads
    before yesterday's, in the benchmark into the backfill of the whole history, and the
    bound's own read cost more than it saved, docs/performance.md, *Eighth round*.) -#}

{#- The condition on `load_id` of `staging_model` (a view over one source that keeps its
    every row and renames `_dlt_load_id` to `load_id`) that keeps every row at the source's
    latest `source_column`:
    `load_id >= '<oldest load holding it>'`. `1 = 1` on other adapters, when nothing can be
    read (parse time, a dbt unit test) or when the source is not landed. -#}
{% macro loads_holding_latest(staging_model, source_column) -%}
    {%- if target.type != 'duckdb' or not execute or this is string -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- set raw = landed_source(model_node(staging_model), this) -%}
    {%- set latest = run_query('select cast(max(' ~ source_column ~ ') as varchar) from '
        ~ raw).rows[0][0] if raw is not none else none -%}
    {%- set oldest = oldest_load_from(raw, source_column, latest | string)
        if latest is not none else none -%}
    {{- return('1 = 1' if oldest is none else 'load_id >= ' ~ load_id_literal(oldest | string)) -}}
{%- endmacro %}

{#- The oldest dlt load of `raw` holding a row whose `source_column` is at or after `value`
    (text of a time, cast to the column's own type); none when no row is. -#}
{% macro oldest_load_from(raw, source_column, value) -%}
    {%- set typed = run_query('select typeof(' ~ source_column ~ ') from ' ~ raw
        ~ ' limit 1').rows -%}
    {%- if not typed -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(run_query('select min(_dlt_load_id) from ' ~ raw ~ ' where ' ~ source_column
        ~ ' >= ' ~ sql_literal(value, typed[0][0])).rows[0][0]) -}}
{%- endmacro %}

{#- The landed table of the one source model `node` selects from, in `tested`'s database;
    none when that table is not landed yet. A compile error when the model reads no source or
    several. -#}
{% macro landed_source(node, tested) -%}
    {%- set sources = [] -%}
    {%- for id in (node.depends_on.nodes if node is not none else [])
        if id.startswith('source.') -%}
        {%- do sources.append(id) -%}
    {%- endfor -%}
    {%- if sources | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "loads by time: " ~ (node.name if node is not none else model.name)
            ~ " must read exactly one source, it reads " ~ (sources | length)) }}
    {%- endif -%}
    {%- set source = graph.sources[sources[0]] -%}
    {{- return(adapter.get_relation(database=tested.database, schema=source.schema,
                                    identifier=source.identifier)) -}}
{%- endmacro %}

{#- `load_id > <the newest load the built table holds>` on a staging view over one source
    (`staging_model`, which renames `_dlt_load_id` to `load_id`), for an incremental model
    whose `load_id` column is the newest load of its rows (int_signals__feature_first_uses).
    On DuckDB it is written `load_id >= '<the source's first load after it>'`, which selects the
    same rows: DuckDB keeps a text column's min/max by its first 8 characters, so it cannot
    skip the row groups of the built load itself (a backfill of the whole history, when no
    later load brought a row) on `load_id > '<that load>'`, but can on the next load's id when
    the two fall in different 100-second spans (the first 8 characters of a load id are its
    Unix time's hundreds of seconds). The next load is read on the raw table, once. Elsewhere, at parse time and in dbt unit tests:
    loaded_after_built's condition. -#}
{% macro loads_landed_after_built(staging_model) -%}
    {%- set raw = landed_source(model_node(staging_model), this)
        if target.type == 'duckdb' and execute and this is not string else none -%}
    {%- if raw is none -%}
        {{- return(loaded_after_built('load_id', column='load_id', empty="''",
                                      data_type=dbt.type_string())) -}}
    {%- endif -%}
    {#- the built table's newest load, read once -#}
    {%- set built = query_value('select max(built.load_id) from ' ~ this ~ ' as built').value -%}
    {%- set after = "''" if built is none else load_id_literal(built | string) -%}
    {%- set next = run_query('select min(_dlt_load_id) from ' ~ raw
        ~ ' where _dlt_load_id > ' ~ after).rows[0][0] -%}
    {#- no later load: loaded_after_built's condition, written from the same read -#}
    {{- return('load_id > ' ~ after if next is none
               else 'load_id >= ' ~ load_id_literal(next | string)) -}}
{%- endmacro %}

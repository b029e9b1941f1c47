{#- Scheduled runs test large append-only tables on the rows that can have changed, not on all
    of them. A data test configured with
        config: {where: "landed_since_last_green_build(sampled_at)"}
    on a relation with a `load_id` column (dlt's `_dlt_load_id`) checks the rows whose
    `sampled_at` is at or after the earliest `sampled_at` landed since the last green scheduled
    build, and the rows with no time (only the new ones when no new row has a time, or when
    the bound below applies): every row that can form a duplicate key with a newly landed row
    (a duplicate has the same time), and every new row itself. With a second argument,
        config: {where: "landed_since_last_green_build(sampled_at, ts)"}
    the view computes `sampled_at` from its one source's `ts`, and on DuckDB the test reads
    only the loads that can hold a row of the window (landed_loads_bound). `breadcrumbs run` passes that
    build's last dlt load id in BREADCRUMBS_TESTS_LOADED_AFTER (breadcrumbs/run.py) and moves
    it only when a build passes, so a failing run is re-checked by the next one. Without the
    variable (`make test`, the demo, `dbt build` by hand, a `--full-refresh` run) the test
    covers every row.
    The tables the hourly signal chain builds incrementally from those samples
    (int_signals__service_hours and what reads its window: hourly anomaly flags, burn rates,
    the daily signal and SLO marts) carry
        config: {where: "rebuilt_since_last_green_build(hour_at)"}
    and are checked from midnight `signals_lookback_hours` (72) plus 24 hours before the
    earliest sample landed since the last green build: every row a scheduled run since then
    rebuilt (each run recomputes whole days from 72 hours before the latest hour built, which
    is at most an hour past the earliest new sample; the extra day covers the truncation to
    midnight and the half hour a sample is labelled back). Rows before that were built from
    unchanged samples and passed then. No new sample since the last green build: only rows
    with a null time.
    The tables built incrementally by change (the CI chain, macros/loaded_after_built.sql) carry
        config: {where: "changed_since_last_green_build(created_week)"}
    and are checked on the partitions (weeks) that hold a row loaded after the last green
    build's newest load, i.e. every partition a scheduled run since then rebuilt (a run
    rebuilds the weeks holding a row loaded after what the table had read, which was at least
    the last green build's loads), and on rows with no week. A duplicate key has the same
    week (a run's creation time does not change), so it is inside. No load since: only rows
    with no week. The marts built from them carry no load stamp (a mart's values do not
    depend on when a row was loaded) and name the model that does:
        config: {where: "changed_since_last_green_build(created_week, int_delivery__ci_runs)"}
    The staging views' tests (every test under models/staging, dbt_project.yml) carry
        config: {where: "loads_since_last_green_build()"}
    and are checked on the rows of the dlt loads since the last green build (`load_id`, the
    view's rename of `_dlt_load_id`, by which DuckDB skips the row groups of older loads); a
    key test (`unique`, `unique_combination_of_columns`) on every row holding a key landed
    since, so a new row duplicating an old one is inside. dlt's child tables (labels, parents,
    invoice lines) carry no load id: their model names its parent in
        config: {meta: {loaded_with: {model: stg_github__pull_requests,
                                      key: pull_request_row_key}}}
    and its rows are in scope when their parent's row landed since (dlt rewrites a parent's
    children whenever it rewrites the parent); its relationship test to the parent reads every
    row, as an orphan has no parent to be in scope through. Rows landed before passed the
    build that moved the marker.
    Other `where` configs behave as in dbt. Overrides dbt's own get_where_subquery (a
    root-project macro of the same name takes precedence). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if not where -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- set loaded_after = env_var('BREADCRUMBS_TESTS_LOADED_AFTER', '') -%}
    {%- set scoped = namespace(where=where) -%}  {#- a plain `set` in a loop is lost after it -#}
    {%- for kind in ['landed', 'rebuilt', 'changed'] -%}
        {%- set name = kind ~ '_since_last_green_build' -%}
        {%- for call, column, stamped in modules.re.findall(
                '(' ~ name ~ '\\((\\w+)(?:,\\s*(\\w+))?\\))', where) -%}
            {%- set window = new_rows_window(kind, column, relation, loaded_after, stamped)
                if loaded_after else '1 = 1' -%}
            {%- set scoped.where = scoped.where | replace(call, window) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set loads_call = 'loads_since_last_green_build()' -%}
    {%- if loads_call in scoped.where -%}
        {%- set scoped.where = scoped.where | replace(loads_call,
                loads_window(relation, loaded_after) if loaded_after else '1 = 1') -%}
    {%- endif -%}
    {%- do return('(select * from ' ~ relation ~ ' where ' ~ scoped.where ~ ') dbt_subquery') -%}
{%- endmacro %}

{#- The rows of `relation` in the loads after `loaded_after` (`loads_since_last_green_build()`,
    above): for the test being compiled (`model`, the test node), its key's rows when it is a
    key test. -#}
{% macro loads_window(relation, loaded_after) -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- set via = tested.config.meta.get('loaded_with') if tested is not none else none -%}
    {%- set test = model.test_metadata.name if model.test_metadata else '' -%}
    {%- set kwargs = model.test_metadata.kwargs if model.test_metadata else {} -%}
    {%- set landed = 'load_id > ' ~ load_id_literal(loaded_after) -%}
    {%- if via and test == 'relationships' -%}
        {{- return('1 = 1') -}}
    {%- elif via -%}
        {%- set landed = via.key ~ ' in (select ' ~ via.key ~ ' from '
            ~ model_relation(via.model, relation) ~ ' where ' ~ landed ~ ')' -%}
    {%- endif -%}
    {%- if test == 'unique' -%}
        {{ kwargs.column_name }} in (
            select {{ kwargs.column_name }} from {{ relation }} where {{ landed }})
    {%- elif test == 'unique_combination_of_columns' -%}
        {%- set key = '(' ~ kwargs.combination_of_columns | join(', ') ~ ')' -%}
        {{ key }} in (select {{ key }} from {{ relation }} where {{ landed }})
    {%- else -%}
        {{ landed }}
    {%- endif -%}
{%- endmacro %}

{#- The rows of `relation` a scheduled run checks for `landed_since_last_green_build(column)`
    (from the earliest `column` landed after `loaded_after` in the relation itself),
    `changed_since_last_green_build(column[, model])` (the values of `column` holding a row
    whose `loaded_at` is after `loaded_after`, in the relation itself or in `model`, the
    incremental model it is built from, which carries the load stamps) or
    `rebuilt_since_last_green_build(column)` (from midnight signals_lookback_hours + 24 hours
    before the earliest signal sample landed after it), and rows with a null `column`. The
    earliest time is read when the test runs and written into it as a constant
    (query_value, query_literal), so DuckDB reads only the row groups from it on. -#}
{% macro new_rows_window(kind, column, relation, loaded_after, stamped='') -%}
    {%- if kind == 'landed' -%}
        {#- one comparison per row (the coalesce keeps the nulls): on a view the column is an
            expression, which `is null or >=` would compute twice -#}
        {%- set first = 'select min(' ~ column ~ ') from ' ~ relation
            ~ ' where load_id > ' ~ load_id_literal(loaded_after) -%}
        {%- set read = query_value(first) -%}
        {%- if read is none -%}
            ({{ column }} is null or {{ column }} >= ({{ first }}))
        {%- elif read.value is none -%}
            {#- no new row with a time: the new rows without one (a full scan of the view's
                expression otherwise; older ones passed the build that moved the marker) -#}
            (load_id > {{ load_id_literal(loaded_after) }} and {{ column }} is null)
        {%- else -%}
            {%- set oldest = landed_loads_bound(relation, stamped, loaded_after) if stamped
                else none -%}
            {%- if oldest is not none -%}load_id >= {{ load_id_literal(oldest) }} and {% endif -%}
            not coalesce({{ column }} < {{ sql_literal(read.value, dbt.type_timestamp()) }}, false)
        {%- endif -%}
    {%- elif kind == 'changed' -%}
        ({{ column }} is null or {{ column }} in (
            select {{ column }} from {{ model_relation(stamped, relation) if stamped else relation }}
            where {{ loaded_since_last_green_build('loaded_at') }}
        ))
    {%- else -%}
        {%- set earliest = query_literal('select min(sampled_at) from '
            ~ samples_relation(relation) ~ ' where load_id > ' ~ load_id_literal(loaded_after),
            dbt.type_timestamp()) -%}
        ({{ column }} is null or {{ column }} >= {{ dbt.date_trunc('day', dbt.dateadd(
            'hour', -(var('signals_lookback_hours', 72) + 24), earliest)) }})
    {%- endif -%}
{%- endmacro %}

{#- `landed_since_last_green_build(column, source_column)`, where the view's `column` is
    computed from its source's `source_column` (a monotonic conversion, such as the samples'
    `sampled_at` from the raw `ts`), on DuckDB: the oldest dlt load holding a row the window
    checks, so that `load_id >= <it>` skips the row groups of every older load. DuckDB cannot
    skip row groups through the view's expression (it computes it for every row of the
    history), but it can on the raw column and on the load id. The bound is the oldest load of
    the source's rows at or after the earliest `source_column` landed after `loaded_after`
    (a superset of the view's rows in the window: the view may filter rows, never move them
    to another load), or the oldest load since then if that is older (a new load whose rows
    have no time). Rows of older loads with no time passed the build that moved the marker.
    None (no bound) on other adapters, or when the source is not landed. -#}
{% macro landed_loads_bound(relation, source_column, loaded_after) -%}
    {%- if target.type != 'duckdb' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set raw = landed_source(graph.nodes.get(model.attached_node), relation) -%}
    {%- if raw is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set new = run_query('select cast(min(' ~ source_column ~ ') as varchar), '
        ~ 'min(_dlt_load_id) from ' ~ raw ~ ' where _dlt_load_id > '
        ~ load_id_literal(loaded_after)).rows[0] -%}
    {%- set bounds = [new[1]] -%}
    {%- if new[0] is not none -%}
        {%- do bounds.append(oldest_load_from(raw, source_column, new[0] | string)) -%}
    {%- endif -%}
    {%- set bounds = bounds | reject('none') | map('string') | list -%}
    {{- return(bounds | min if bounds else none) -}}
{%- endmacro %}

{#- The relation of stg_signals__samples in the tested relation's database, its schema and
    name from the graph (a data test's scope reads it without a ref: the tested model is built
    after it). -#}
{% macro samples_relation(tested) -%}
    {{- return(model_relation('stg_signals__samples', tested)) -}}
{%- endmacro %}

{#- The relation of model `name` in the tested relation's database (from the graph). -#}
{% macro model_relation(name, tested) -%}
    {%- set node = model_node(name) -%}
    {{- return(api.Relation.create(database=tested.database, schema=node.schema,
                                   identifier=node.alias)) -}}
{%- endmacro %}

{#- The graph node of model `name`; a compile error when the project has none. -#}
{% macro model_node(name) -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "data tests on new rows: the project has no model " ~ name) }}
{%- endmacro %}

{#- A load id as a SQL string literal; refuses anything but a dlt load id (Unix seconds).
    Load ids compare as strings: their integer part has ten digits until the year 2286, and
    a fraction compares digit by digit. -#}
{% macro load_id_literal(load_id) -%}
    {%- if not modules.re.fullmatch('[0-9]+(\\.[0-9]+)?', load_id) -%}
        {{ exceptions.raise_compiler_error(
            "BREADCRUMBS_TESTS_LOADED_AFTER must be a dlt load id (Unix seconds, e.g. "
            ~ "1764088135.123456), got '" ~ load_id ~ "'; unset it to test every row") }}
    {%- endif -%}
    '{{ load_id }}'
{%- endmacro %}

{#- The metric catalog read from dbt's graph at execute time (docs/metrics.md): every model with
    `config.meta.metric`. Returns a list of dicts {name, metric_id, meta, depends_on, description}. -#}
{% macro metrics_nodes() -%}
    {%- set found = [] -%}
    {%- if execute and graph.get('nodes') -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- set meta = node.config.get('meta', {}) or {} -%}
            {%- set metric = meta.get('metric') or (node.get('meta', {}) or {}).get('metric') -%}
            {%- if node.resource_type == 'model' and metric -%}
                {%- do found.append({
                    'name': node.name,
                    'unique_id': node.unique_id,
                    'metric_id': node.name[2:] if node.name.startswith('m_') else node.name,
                    'meta': metric,
                    'depends_on': node.depends_on.nodes,
                    'description': node.description or ''
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- SQL string literal of a value, or null. Standard SQL (DuckDB, PostgreSQL) doubles single
    quotes; Spark reads 'a''b' as two adjacent literals ('ab') and backslashes as escapes, so
    there both are backslash-escaped. -#}
{% macro metrics_literal(value) -%}
    {%- if value is none -%}null{%- else -%}
        '{{ adapter.dispatch('metrics_escape_literal', 'breadcrumbs')(value | string) }}'
    {%- endif -%}
{%- endmacro %}

{% macro default__metrics_escape_literal(text) -%}
    {{ return(text | replace("'", "''")) }}
{%- endmacro %}

{% macro spark__metrics_escape_literal(text) -%}
    {{ return(text | replace("\\", "\\\\") | replace("'", "\\'")) }}
{%- endmacro %}

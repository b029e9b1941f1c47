{#- The text value of one top-level key of a JSON object held as text (FOCUS `Tags`), null when
    the key is absent. The key is a literal (e.g. from a dbt var); a single quote or double
    quote in it is refused, so it can be spliced into every dialect's path syntax. The text
    must be valid JSON: the cloud_cost source lands `tags` only as a JSON object or null.
    - duckdb: json_extract_string with a quoted path member ($."user:service").
    - other adapters: a compile error naming the macro to add.
    - postgres: ->> on the text cast to json.
    - spark: get_json_object with a bracketed path member ($['user:service']). -#}
{% macro json_text_field(column_name, key) -%}
    {%- if "'" in key or '"' in key or '\\' in key -%}
        {{ exceptions.raise_compiler_error(
            "json_text_field: the key " ~ key ~ " contains a quote or backslash; use a tag key without them"
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('json_text_field', 'breadcrumbs')(column_name, key)) }}
{%- endmacro %}

{% macro default__json_text_field(column_name, key) -%}
    {{ exceptions.raise_compiler_error(
        "json_text_field: no JSON extraction for adapter " ~ adapter.type() ~ "; add a " ~ adapter.type() ~ "__json_text_field macro"
    ) }}
{%- endmacro %}

{% macro duckdb__json_text_field(column_name, key) -%}
    json_extract_string({{ column_name }}, '$."{{ key }}"')
{%- endmacro %}

{% macro postgres__json_text_field(column_name, key) -%}
    (cast({{ column_name }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__json_text_field(column_name, key) -%}
    get_json_object({{ column_name }}, '$[\'{{ key }}\']')
{%- endmacro %}

{#- A set-returning select expression: every issue number a pull request body closes with
    GitHub's closing keywords (close, closes, closed, fix, fixes, fixed, resolve, resolves,
    resolved, any case, then `#N`), as text, one row each. Same-repo references only
    (`owner/repo#N` cross-repo references are not matched). Dispatched: each engine spells
    "all regex matches as rows" differently. -#}
{% macro closing_issue_numbers(body) -%}
    {{ return(adapter.dispatch('closing_issue_numbers', 'breadcrumbs')(body)) }}
{%- endmacro %}

{% macro default__closing_issue_numbers(body) -%}
    {{ exceptions.raise_compiler_error("closing_issue_numbers has no implementation for " ~ target.type) }}
{%- endmacro %}

{% macro duckdb__closing_issue_numbers(body) -%}
    unnest(regexp_extract_all(lower({{ body }}), '(?:^|[^a-z0-9/_-])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+#([0-9]+)', 1))
{%- endmacro %}

{% macro postgres__closing_issue_numbers(body) -%}
    (regexp_matches(lower({{ body }}), '(?:^|[^a-z0-9/_-])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+#([0-9]+)', 'g'))[1]
{%- endmacro %}

{% macro spark__closing_issue_numbers(body) -%}
    explode(regexp_extract_all(lower({{ body }}), '(?:^|[^a-z0-9/_-])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\\s+#([0-9]+)', 1))
{%- endmacro %}

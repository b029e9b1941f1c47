{#- Salted hash of a people identifier (login, email, name). The salt comes from
    BREADCRUMBS_SALT so hashes cannot be reversed by hashing a list of known logins.
    Nulls stay null; identifiers are lower-cased and trimmed first so the same person
    hashes the same way across sources. -#}
{% macro hash_identity(column_name) -%}
    case
        when {{ column_name }} is null then null
        else {{ dbt.hash("'" ~ env_var('BREADCRUMBS_SALT', 'breadcrumbs-demo-salt') ~ "' || lower(trim(cast(" ~ column_name ~ " as " ~ dbt.type_string() ~ ")))") }}
    end
{%- endmacro %}

{#- Salted hash of a people identifier (login, email, name, PagerDuty user id). The salt comes
    from BREADCRUMBS_SALT so hashes cannot be reversed by hashing a list of known logins.
    Nulls and blank strings become null; identifiers are lower-cased and trimmed first so the
    same person hashes the same way across sources ('Dev-Ana ' and 'dev-ana' are one key).
    Quotes in the salt are escaped, so any salt is safe. Portable: dbt.hash is md5 on DuckDB
    and PostgreSQL. -#}
{% macro hash_identity(column_name) -%}
    {%- set salt = env_var('BREADCRUMBS_SALT', 'breadcrumbs-demo-salt') | replace("'", "''") -%}
    {%- set cleaned = "lower(trim(cast(" ~ column_name ~ " as " ~ dbt.type_string() ~ ")))" -%}
    case
        when {{ cleaned }} is null or {{ cleaned }} = '' then null
        else {{ dbt.hash("'" ~ salt ~ "' || " ~ cleaned) }}
    end
{%- endmacro %}

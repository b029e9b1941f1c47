{#- Hashed surrogate key of several columns, the portable equivalent of
    dbt_utils.generate_surrogate_key (no hub packages here): each value cast to text, nulls
    as '_null_', joined with '-', md5 through dbt.hash. -#}
{% macro surrogate_key(column_names) -%}
    {%- set parts = [] -%}
    {%- for column_name in column_names -%}
        {%- do parts.append("coalesce(cast(" ~ column_name ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

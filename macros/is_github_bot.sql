{#- True when a GitHub account is a bot: its `type` is 'Bot' (GitHub Apps, deploy bots) or
    its login ends in '[bot]' (dependabot[bot], renovate[bot] acting as users). False when
    the account is unknown (a commit whose email has no GitHub account). Never null. -#}
{% macro is_github_bot(type_column, login_column) -%}
    coalesce(
        {{ type_column }} = 'Bot' or lower({{ login_column }}) like '%[bot]',
        false
    )
{%- endmacro %}

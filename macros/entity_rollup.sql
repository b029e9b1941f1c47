{#- The rows of a mart keyed by entity: each row of `relation` as its own entity, then the sum
    over each rollup level. One home for the service → team → org (and plan → org) rollup.
      relation  a CTE whose rows are one leaf entity per period
      leaf      [entity_type, id column], e.g. ['service', 'service_id']
      periods   the period columns, kept and grouped by (e.g. ['month_start'])
      measures  the columns summed at each rollup level
      rollups   'team' (grouped by the relation's team_id; rows without a team are left out
                of it) and/or 'org' (every row)
      strict    a rollup is null when one of its rows is null (sum() would skip the nulls:
                a total over a part that is not known yet is not known either)
    Ratios are formed after the rollup, from its sums. -#}
{% macro entity_rollup(relation, leaf, periods, measures, rollups=['team', 'org'], strict=false) -%}
    select
        '{{ leaf[0] }}' as entity_type,
        {{ leaf[1] }} as entity_id,
        {%- for column in periods + measures %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- for level in rollups %}
    union all
    select
        '{{ level }}' as entity_type,
        {{ "team_id" if level == "team" else "'org'" }} as entity_id,
        {%- for column in periods %}
        {{ column }},
        {%- endfor %}
        {%- for column in measures %}
        {%- if strict %}
        case when count({{ column }}) = count(*) then sum({{ column }}) end as {{ column }}
        {%- else %}
        sum({{ column }}) as {{ column }}
        {%- endif %}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- if level == "team" %}
    where team_id is not null
    group by team_id, {{ periods | join(", ") }}
    {%- elif level == "org" %}
    group by {{ periods | join(", ") }}
    {%- else %}
    {{ exceptions.raise_compiler_error("entity_rollup: unknown level " ~ level ~ " (team or org)") }}
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

-- One row per Monday-UTC week for the whole organisation: the same metrics as
-- fct_delivery_team_weekly, computed over all teams' facts (medians of all changes, not
-- medians of team medians), including repos no team owns yet.
with

weekly as (
    select * from {{ ref('int_delivery__weekly') }}
),

final as (
    select
        cast(week_start as date) as week_start,
        {% for column, data_type in delivery_weekly_columns() -%}
            cast({{ column }} as {{ data_type }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from weekly
    where entity_type = 'org'
)

select * from final

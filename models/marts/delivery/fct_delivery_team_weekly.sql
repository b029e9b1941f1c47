-- One row per team and Monday-UTC week (dense: empty weeks are rows of zeros): the DORA
-- keys with their 2024 performance bands, the cycle-time breakdown, review and CI health.
with

weekly as (
    select * from {{ ref('int_delivery__weekly') }}
),

final as (
    select
        cast(entity_id as varchar) as team_id,
        cast(week_start as date) as week_start,
        {% for column, data_type in delivery_weekly_columns() -%}
            cast({{ column }} as {{ data_type }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from weekly
    where entity_type = 'team'
)

select * from final

-- The team rows of fct_delivery_weekly under the mart's former name and shape (`team_id` for
-- entity_id), kept so analysts' queries and dashboards keep working (docs/marts.md). New
-- queries read fct_delivery_weekly where entity_type = 'team'.
with

weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

final as (
    select
        entity_id as team_id,
        week_start,
        {% for column, _ in delivery_weekly_columns() -%}
            {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from weekly
    where entity_type = 'team'
)

select * from final

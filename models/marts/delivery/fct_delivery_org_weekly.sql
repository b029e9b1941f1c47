-- The org rows of fct_delivery_weekly under the mart's former name and shape (no entity
-- columns), kept so analysts' queries and dashboards keep working (docs/marts.md). New
-- queries read fct_delivery_weekly where entity_type = 'org'.
with

weekly as (
    select * from {{ ref('fct_delivery_weekly') }}
),

final as (
    select
        week_start,
        {% for column, _ in delivery_weekly_columns() -%}
            {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from weekly
    where entity_type = 'org'
)

select * from final

{#- Gross margin and its ratio from an MRR amount and a cloud cost (docs: fct_gross_margin_monthly):
    one definition for the plan and the org marts. -#}
{% macro gross_margin_columns(mrr_column, cost_column) -%}
    cast(cast({{ mrr_column }} as double precision) - {{ cost_column }} as double precision) as gross_margin,
    cast(
        case
            when {{ mrr_column }} > 0
                then (cast({{ mrr_column }} as double precision) - {{ cost_column }})
                    / cast({{ mrr_column }} as double precision)
        end as double precision
    ) as gross_margin_ratio
{%- endmacro %}

{#- True when [first_date, last_date] covers the whole calendar month starting `month_column`
    (false, never null, when either bound is null). -#}
{% macro month_is_covered(month_column, first_date, last_date) -%}
    coalesce(
        {{ first_date }} <= {{ month_column }}
        and {{ last_date }}
        >= cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, month_column)) }} as date),
        false
    )
{%- endmacro %}

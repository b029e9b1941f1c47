{#- Net revenue retention over `lag_months`, the one definition (SaaS convention) behind
    fct_net_revenue_retention_monthly.net_revenue_retention (lag 1), .net_revenue_retention_12m
    (lag 12) and fct_mrr_monthly.net_revenue_retention (lag 1).
    For a month M the cohort is every customer with MRR > 0 in month M − lag, on the plan it
    was on then (org: all of them); NRR = the cohort's MRR in M on any plan ÷ its MRR in
    M − lag. New customers are not in it, a churned customer counts 0 and one who left and
    came back counts what it pays in M. A plan switcher stays in the cohort of its starting
    plan: its expansion counts there, never for the plan it moved to.
      movements   a relation or CTE with one row per customer and month (fct_mrr_movements):
                  customer_id, plan_id, month_start, mrr_amount
      lag_months  the period in months (1 or 12)
    Returns the select of entity_type ('plan' by the starting plan, 'org'), entity_id,
    month_start, cohort_starting_mrr and cohort_current_mrr (decimals, summed exactly) and
    net_revenue_retention (double): one row per entity and month M that is a month of
    `movements` and has a cohort. -#}
{% macro net_revenue_retention_cohorts(movements, lag_months) -%}
    {%- set cohort_by_plan -%}
    (
        select
            months.month_start,
            cohort_start.plan_id,
            sum(cast(cohort_start.mrr_amount as decimal(18, 2))) as cohort_starting_mrr,
            sum(cast(coalesce(today.mrr_amount, 0) as decimal(18, 2))) as cohort_current_mrr
        from (select distinct month_start from {{ movements }}) as months
        inner join {{ movements }} as cohort_start
            on cohort_start.month_start
            = cast({{ dbt.dateadd('month', -lag_months, 'months.month_start') }} as date)
        left join {{ movements }} as today
            on
                cohort_start.customer_id = today.customer_id
                and months.month_start = today.month_start
        where cohort_start.mrr_amount > 0
        group by months.month_start, cohort_start.plan_id
    ) as cohort_by_plan
    {%- endset -%}
    select
        entity_type,
        entity_id,
        month_start,
        cohort_starting_mrr,
        cohort_current_mrr,
        case
            when cohort_starting_mrr > 0
                then cast(cohort_current_mrr as double precision)
                / cast(cohort_starting_mrr as double precision)
        end as net_revenue_retention
    from (
        {{ entity_rollup(cohort_by_plan, ['plan', 'plan_id'], ['month_start'],
            ['cohort_starting_mrr', 'cohort_current_mrr'], rollups=['org']) }}
    ) as cohorts
{%- endmacro %}

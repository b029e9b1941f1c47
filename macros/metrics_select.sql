{#- The common final select of every metric model (docs/metrics.md): the metric id is the model name
    without its `m_` prefix; rows without a value are dropped. A metric whose catalog entry fails
    the two tests (metrics_catalog_problems) is not built: the model fails naming the field. -#}
{% macro metrics_select(relation) -%}
    {%- if execute -%}
        {%- set prefix = 'metric ' ~ metrics_model_name()[2:] ~ ' (' -%}
        {%- set mine = [] -%}
        {%- for problem in metrics_catalog_problems(metrics_nodes()) if problem.startswith(prefix) -%}
            {%- do mine.append(problem) -%}
        {%- endfor -%}
        {%- if mine -%}
            {{ exceptions.raise_compiler_error("not built, the metric fails the two tests (docs/metrics.md):
  - " ~ mine | join("
  - ")) }}
        {%- endif -%}
    {%- endif -%}
    select
        cast('{{ metrics_model_name()[2:] }}' as varchar) as metric_id,
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(period_start as date) as period_start,
        cast(grain as varchar) as grain,
        cast(value as double precision) as value
    from {{ relation }}
    where value is not null
{%- endmacro %}

{#- Rows of `numerator / denominator` (two metric relations with the same entities and periods);
    null where the denominator is zero or missing, 0 where only the numerator is missing. -#}
{% macro metrics_ratio(numerator, denominator) -%}
    select
        denominator_rows.entity_type,
        denominator_rows.entity_id,
        denominator_rows.period_start,
        denominator_rows.grain,
        case
            when denominator_rows.value > 0
                then coalesce(numerator_rows.value, 0) / denominator_rows.value
        end as value
    from {{ denominator }} as denominator_rows
    left join {{ numerator }} as numerator_rows
        on
            denominator_rows.entity_type = numerator_rows.entity_type
            and denominator_rows.entity_id = numerator_rows.entity_id
            and denominator_rows.period_start = numerator_rows.period_start
            and denominator_rows.grain = numerator_rows.grain
{%- endmacro %}

{#- One column of a weekly mart keyed by entity (`entity_type`, `entity_id`, `week_start`, such as
    fct_delivery_weekly) as metric rows: a metric that is a projection of a mart column. -#}
{% macro metrics_entity_weekly(weekly, column) -%}
    select
        entity_type,
        entity_id,
        week_start as period_start,
        'week' as grain,
        cast({{ column }} as double precision) as value
    from {{ weekly }}
{%- endmacro %}

{#- One column of a monthly mart keyed by entity (`entity_type`, `entity_id`, `month_start`,
    such as fct_toil_monthly) as metric rows. -#}
{% macro metrics_entity_monthly(monthly, column) -%}
    select
        entity_type,
        entity_id,
        month_start as period_start,
        'month' as grain,
        cast({{ column }} as double precision) as value
    from {{ monthly }}
{%- endmacro %}

{#- Plan rows (fct_mrr_monthly) and org rows (fct_mrr_monthly_org) of one MRR column. -#}
{% macro metrics_mrr_monthly(plan_monthly, org_monthly, column) -%}
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        'month' as grain,
        cast({{ column }} as double precision) as value
    from {{ plan_monthly }}
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        'month' as grain,
        cast({{ column }} as double precision) as value
    from {{ org_monthly }}
{%- endmacro %}

{#- Service, team and org rows of an additive weekly column of a per-service weekly relation
    (`service_id`, `team_id`, `week_start`). -#}
{% macro metrics_service_weekly_sum(service_weekly, column) -%}
    select
        'service' as entity_type,
        service_id as entity_id,
        week_start as period_start,
        'week' as grain,
        cast({{ column }} as double precision) as value
    from {{ service_weekly }}
    union all
    select
        'team' as entity_type,
        team_id as entity_id,
        week_start as period_start,
        'week' as grain,
        cast(sum({{ column }}) as double precision) as value
    from {{ service_weekly }}
    group by team_id, week_start
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        week_start as period_start,
        'week' as grain,
        cast(sum({{ column }}) as double precision) as value
    from {{ service_weekly }}
    group by week_start
{%- endmacro %}

{#- Name of the metric model being built (also inside a dbt unit test of it). -#}
{% macro metrics_model_name() -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{- return((model.get('tested_node_unique_id') or model.get('model') or '').split('.')[-1]) -}}
    {%- endif -%}
    {{- return(model.name) -}}
{%- endmacro %}

{#- One column of a daily mart keyed by entity (`entity_type`, `entity_id` and a date column,
    such as fct_cloud_capacity_daily) as metric rows: a metric that is a projection of a mart
    column. -#}
{% macro metrics_entity_daily(daily, column, date_column) -%}
    select
        entity_type,
        entity_id,
        {{ date_column }} as period_start,
        'day' as grain,
        cast({{ column }} as double precision) as value
    from {{ daily }}
{%- endmacro %}

{#- One column of a mart keyed by entity and period (`entity_type`, `entity_id`, `grain`,
    `period_start`, such as fct_cloud_cost_periods) as metric rows, optionally only one grain
    and one entity type: a metric that is a projection of a mart column. -#}
{% macro metrics_entity_periods(periods, column, grain=none, entity_type=none) -%}
    select
        entity_type,
        entity_id,
        period_start,
        grain,
        cast({{ column }} as double precision) as value
    from {{ periods }}
    where
        1 = 1
        {%- if grain %}
        and grain = '{{ grain }}'
        {%- endif %}
        {%- if entity_type %}
        and entity_type = '{{ entity_type }}'
        {%- endif %}
{%- endmacro %}

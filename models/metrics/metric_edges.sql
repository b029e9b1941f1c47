-- One row per driver edge of the metric tree (metric ← driver), read from dbt's graph at build
-- time (docs/metrics.md): formula edges are inputs of the metric's formula, causal edges the
-- simulator's and the organisation's causal model.
with

edge_rows as (
    {%- set ns = namespace(count=0) %}
    {%- for node in metrics_nodes() %}
        {%- for driver in node.meta.get('drivers') or [] %}
            {%- if ns.count > 0 %}
                union all
            {%- endif %}
            {%- set ns.count = ns.count + 1 %}
            select
                {{ metrics_literal(node.metric_id) }} as metric_id,
                {{ metrics_literal(driver.get('metric')) }} as driver_metric_id,
                {{ metrics_literal(driver.get('edge')) }} as edge,
                {{ metrics_literal(driver.get('sign') or 'positive') }} as sign
        {%- endfor %}
    {%- endfor %}
    {%- if ns.count == 0 %}
    select
        null as metric_id,
        null as driver_metric_id,
        null as edge,
        null as sign
    where 1 = 0
    {%- endif %}
),

final as (
    select
        cast(metric_id as varchar) as metric_id,
        cast(driver_metric_id as varchar) as driver_metric_id,
        cast(edge as varchar) as edge,
        cast(sign as varchar) as sign
    from edge_rows
)

select * from final

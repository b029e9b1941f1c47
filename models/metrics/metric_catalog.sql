-- One row per metric: the catalog of config.meta.metric, read from dbt's graph at build time
-- (docs/metrics.md), so the YAML beside each metric model is the only place it is written.
with

catalog_rows as (
    {%- set metric_nodes = metrics_nodes() %}
    {%- for node in metric_nodes %}
        {%- set meta = node.meta %}
        {%- set thresholds = meta.get('thresholds') or {} %}
        {%- set drivers = meta.get('drivers') or [] %}
    select
        {{ metrics_literal(node.metric_id) }} as metric_id,
        {{ metrics_literal(node.name) }} as model_name,
        {{ metrics_literal(meta.get('label')) }} as label,
        {{ metrics_literal(meta.get('layer')) }} as layer,
        {{ metrics_literal(meta.get('value_lens')) }} as value_lens,
        {{ metrics_literal(meta.get('entity')) }} as entity_type,
        {{ metrics_literal(meta.get('grain')) }} as grain,
        {{ metrics_literal(meta.get('unit')) }} as unit,
        {{ metrics_literal(meta.get('owner')) }} as owner,
        {{ metrics_literal(meta.get('audience')) }} as audience,
        {{ metrics_literal(meta.get('decision')) }} as decision,
        {{ metrics_literal(meta.get('decided_by')) }} as decided_by,
        {{ metrics_literal(meta.get('direction')) }} as direction,
        cast({{ thresholds.get('amber', 'null') }} as double precision) as threshold_amber,
        cast({{ thresholds.get('red', 'null') }} as double precision) as threshold_red,
        cast({{ thresholds.get('baseline_weeks', 'null') }} as integer) as baseline_weeks,
        cast({{ thresholds.get('red_z', 'null') }} as double precision) as red_z,
        {%- set window_days = metrics_window_days(meta.get('window_days')) %}
        cast({{ 'null' if window_days is none else window_days }} as integer) as window_days,
        {{ metrics_literal(meta.get('coverage', 'load_window')) }} as coverage,
        {{ metrics_literal(meta.get('counterbalance')) }} as counterbalance,
        {{ metrics_literal(meta.get('leaf_reason')) }} as leaf_reason,
        {{ drivers | length }} as driver_count,
        cast({{ meta.get('driver_lag_days', 'null') }} as integer) as driver_lag_days,
        {%- set grain_lag = var('why_lag_days').get(meta.get('grain')) %}
        {%- if grain_lag is none and execute %}
            {{ exceptions.raise_compiler_error('metric ' ~ node.metric_id ~ ': grain '
                ~ meta.get('grain') ~ ' has no lag in var why_lag_days (dbt_project.yml)') }}
        {%- endif %}
        cast({{ [grain_lag or 0, meta.get('driver_lag_days') or 0] | max }} as integer) as lag_days,
        cast({{ var('why_driver_z') }} as double precision) as driver_z,
        {{ metrics_literal(meta.get('rolls_up_to')) }} as rolls_up_to,
        {{ metrics_literal(meta.get('evidence')) }} as evidence,
        {{ metrics_literal(meta.get('evidence_reason')) }} as evidence_reason,
        {{ metrics_literal(meta.get('customer_movement')) }} as customer_movement,
        {{ metrics_literal(node.description) }} as description
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        null as metric_id,
        null as model_name,
        null as label,
        null as layer,
        null as value_lens,
        null as entity_type,
        null as grain,
        null as unit,
        null as owner,
        null as audience,
        null as decision,
        null as decided_by,
        null as direction,
        null as threshold_amber,
        null as threshold_red,
        null as baseline_weeks,
        null as red_z,
        null as window_days,
        null as coverage,
        null as counterbalance,
        null as leaf_reason,
        0 as driver_count,
        null as driver_lag_days,
        null as lag_days,
        null as driver_z,
        null as rolls_up_to,
        null as evidence,
        null as evidence_reason,
        null as customer_movement,
        null as description
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        cast(metric_id as varchar) as metric_id,
        cast(model_name as varchar) as model_name,
        cast(label as varchar) as label,
        cast(layer as varchar) as layer,
        cast(value_lens as varchar) as value_lens,
        cast(entity_type as varchar) as entity_type,
        cast(grain as varchar) as grain,
        cast(unit as varchar) as unit,
        cast(owner as varchar) as owner,
        cast(audience as varchar) as audience,
        cast(decision as varchar) as decision,
        cast(decided_by as varchar) as decided_by,
        cast(direction as varchar) as direction,
        cast(threshold_amber as double precision) as threshold_amber,
        cast(threshold_red as double precision) as threshold_red,
        cast(baseline_weeks as integer) as baseline_weeks,
        cast(red_z as double precision) as red_z,
        cast(window_days as integer) as window_days,
        cast(coverage as varchar) as coverage,
        cast(counterbalance as varchar) as counterbalance,
        cast(leaf_reason as varchar) as leaf_reason,
        cast(driver_count as integer) as driver_count,
        cast(driver_lag_days as integer) as driver_lag_days,
        cast(lag_days as integer) as lag_days,
        cast(driver_z as double precision) as driver_z,
        cast(rolls_up_to as varchar) as rolls_up_to,
        cast(evidence as varchar) as evidence,
        cast(evidence_reason as varchar) as evidence_reason,
        cast(customer_movement as varchar) as customer_movement,
        cast(description as varchar) as description
    from catalog_rows
)

select * from final

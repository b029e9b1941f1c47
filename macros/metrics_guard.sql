{#- "Two tests for every metric" (docs/metrics.md): the problems of the metric catalog in dbt's graph,
    one message per problem naming the metric and the field. Checked by metrics_guard() in
    on-run-start, by metrics_select() for the model being built, and by tests/metrics. -#}
{% macro metrics_catalog_problems(metric_nodes) -%}
    {%- set required = ['layer', 'owner', 'audience', 'decision', 'decided_by', 'direction',
                        'thresholds', 'counterbalance'] -%}
    {#- the kinds of mart rows `why` shows as evidence (breadcrumbs/why/evidence.py FINDERS) -#}
    {%- set evidence_kinds = ['incidents', 'deployments', 'failed_deployments', 'ci_runs',
                              'pull_requests', 'customers', 'revenue_at_risk', 'work_items',
                              'customer_bugs', 'features', 'cloud_cost'] -%}
    {%- set problems = [] -%}
    {%- set by_id = {} -%}
    {%- for node in metric_nodes -%}{%- do by_id.update({node.metric_id: node}) -%}{%- endfor -%}
    {%- for node in metric_nodes -%}
        {%- set meta = node.meta -%}
        {%- set prefix = 'metric ' ~ node.metric_id ~ ' (' ~ node.name ~ ')' -%}
        {%- for field in required -%}
            {%- if meta.get(field) in [none, '', [], {}] -%}
                {%- do problems.append(prefix ~ ': missing ' ~ field) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if meta.get('layer') and meta.get('layer') not in ['raw_signal', 'service', 'delivery', 'business_outcome'] -%}
            {%- do problems.append(prefix ~ ': layer ' ~ meta.get('layer') ~ ' is not raw_signal, service, delivery or business_outcome') -%}
        {%- endif -%}
        {%- if meta.get('audience') and meta.get('audience') not in ['operational', 'business'] -%}
            {%- do problems.append(prefix ~ ': audience ' ~ meta.get('audience') ~ ' is not operational or business') -%}
        {%- endif -%}
        {%- if meta.get('direction') and meta.get('direction') not in ['higher_is_better', 'lower_is_better'] -%}
            {%- do problems.append(prefix ~ ': direction ' ~ meta.get('direction') ~ ' is not higher_is_better or lower_is_better') -%}
        {%- endif -%}
        {#- the business tier says which of engineering's three roles it measures (docs/metrics.md) -#}
        {%- if meta.get('layer') == 'business_outcome' and meta.get('value_lens') in [none, ''] -%}
            {%- do problems.append(prefix ~ ': missing value_lens (protects, enables or reduces_cost)') -%}
        {%- elif meta.get('value_lens') not in [none, ''] and meta.get('value_lens') not in ['protects', 'enables', 'reduces_cost'] -%}
            {%- do problems.append(prefix ~ ': value_lens ' ~ meta.get('value_lens') ~ ' is not protects, enables or reduces_cost') -%}
        {%- endif -%}
        {%- if meta.get('evidence') in [none, ''] -%}
            {%- do problems.append(prefix ~ ': missing evidence (' ~ evidence_kinds | join(', ') ~ ', or none with evidence_reason)') -%}
        {%- elif meta.get('evidence') == 'none' and meta.get('evidence_reason') in [none, ''] -%}
            {%- do problems.append(prefix ~ ': evidence none needs evidence_reason (why the metric has no mart rows to show)') -%}
        {%- elif meta.get('evidence') != 'none' and meta.get('evidence') not in evidence_kinds -%}
            {%- do problems.append(prefix ~ ': evidence ' ~ meta.get('evidence') ~ ' is not ' ~ evidence_kinds | join(', ') ~ ' or none') -%}
        {%- endif -%}
        {%- set thresholds = meta.get('thresholds') or {} -%}
        {%- if thresholds and not (('amber' in thresholds and 'red' in thresholds) or ('baseline_weeks' in thresholds and 'red_z' in thresholds)) -%}
            {%- do problems.append(prefix ~ ': thresholds need {amber, red} or {baseline_weeks, red_z}') -%}
        {%- endif -%}
        {#- absolute thresholds (docs/periods-and-status.md): two numbers, amber no worse than red
            for the metric's direction (lower_is_better: amber <= red; higher_is_better:
            amber >= red); equal means every value past them is red (any MRR at risk) -#}
        {%- if 'amber' in thresholds or 'red' in thresholds -%}
            {%- set amber, red = thresholds.get('amber'), thresholds.get('red') -%}
            {%- if amber is not number or red is not number or amber is boolean or red is boolean -%}
                {%- do problems.append(prefix ~ ': absolute thresholds amber and red must both be numbers (got amber ' ~ amber ~ ', red ' ~ red ~ ')') -%}
            {%- elif meta.get('direction') == 'lower_is_better' and amber > red -%}
                {%- do problems.append(prefix ~ ': lower_is_better needs amber <= red (got amber ' ~ amber ~ ', red ' ~ red ~ ')') -%}
            {%- elif meta.get('direction') == 'higher_is_better' and amber < red -%}
                {%- do problems.append(prefix ~ ': higher_is_better needs amber >= red (got amber ' ~ amber ~ ', red ' ~ red ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
        {%- set baseline_weeks = thresholds.get('baseline_weeks') -%}
        {%- if baseline_weeks is not none and (baseline_weeks is not integer or baseline_weeks is boolean or baseline_weeks < 1 or baseline_weeks > 104) -%}
            {%- do problems.append(prefix ~ ': thresholds.baseline_weeks must be a whole number of weeks from 1 to 104 (got ' ~ baseline_weeks ~ ')') -%}
        {%- endif -%}
        {%- set red_z = thresholds.get('red_z') -%}
        {%- if red_z is not none and (red_z is not number or red_z is boolean or red_z <= 0) -%}
            {%- do problems.append(prefix ~ ': thresholds.red_z must be a positive number (got ' ~ red_z ~ ')') -%}
        {%- endif -%}
        {%- if meta.get('coverage') is not none and meta.get('coverage') not in ['load_window', 'full_history'] -%}
            {%- do problems.append(prefix ~ ': coverage ' ~ meta.get('coverage') ~ ' is not load_window or full_history') -%}
        {%- endif -%}
        {#- window_days: the days of data each value reads (rolling window), docs/periods-and-status.md -#}
        {%- set window_days = meta.get('window_days') -%}
        {%- if window_days is not none and window_days != 'slo_window_days' and (window_days is not integer or window_days is boolean or window_days < 1) -%}
            {%- do problems.append(prefix ~ ': window_days must be a whole number of days >= 1 or slo_window_days (got ' ~ window_days ~ ')') -%}
        {%- endif -%}
        {%- if meta.get('counterbalance') and meta.get('counterbalance') not in by_id -%}
            {%- do problems.append(prefix ~ ': counterbalance ' ~ meta.get('counterbalance') ~ ' is not a metric') -%}
        {%- endif -%}
        {%- if meta.get('customer_movement') is not none and meta.get('customer_movement') not in ['churned', 'expansion', 'contraction'] -%}
            {%- do problems.append(prefix ~ ': customer_movement ' ~ meta.get('customer_movement') ~ ' is not churned, expansion or contraction') -%}
        {%- elif meta.get('customer_movement') is not none and meta.get('evidence') != 'customers' -%}
            {%- do problems.append(prefix ~ ': customer_movement needs evidence customers (the customers who moved are its evidence)') -%}
        {%- endif -%}
        {%- if meta.get('rolls_up_to') and meta.get('rolls_up_to') not in by_id -%}
            {%- do problems.append(prefix ~ ': rolls_up_to ' ~ meta.get('rolls_up_to') ~ ' is not a metric') -%}
        {%- endif -%}
        {%- set drivers = meta.get('drivers') or [] -%}
        {%- if drivers | length == 0 and not meta.get('leaf_reason') -%}
            {%- do problems.append(prefix ~ ': missing drivers (a leaf metric needs leaf_reason)') -%}
        {%- endif -%}
        {%- for driver in drivers -%}
            {%- set driver_id = driver.get('metric') -%}
            {%- if driver.get('edge') not in ['formula', 'causal'] -%}
                {%- do problems.append(prefix ~ ': driver ' ~ driver_id ~ ' has edge ' ~ driver.get('edge') ~ ' (formula or causal)') -%}
            {%- endif -%}
            {%- if driver_id not in by_id -%}
                {%- do problems.append(prefix ~ ': driver ' ~ driver_id ~ ' does not exist') -%}
            {%- elif by_id[driver_id].unique_id not in node.depends_on -%}
                {%- do problems.append(prefix ~ ': driver ' ~ driver_id ~ " is not a dependency in the manifest (ref it, or add -- depends_on: {{ ref('" ~ by_id[driver_id].name ~ "') }})") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- cycles: peel metrics whose drivers are all peeled (Kahn); what is left sits on a cycle -#}
    {%- set peeled = [] -%}
    {%- for _ in metric_nodes -%}
        {%- for node in metric_nodes if node.metric_id not in peeled -%}
            {%- set ns = namespace(ready=true) -%}
            {%- for driver in node.meta.get('drivers') or [] -%}
                {%- if driver.get('metric') in by_id and driver.get('metric') not in peeled -%}
                    {%- set ns.ready = false -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if ns.ready -%}{%- do peeled.append(node.metric_id) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for node in metric_nodes if node.metric_id not in peeled -%}
        {%- do problems.append('metric ' ~ node.metric_id ~ ' (' ~ node.name ~ '): drivers form a cycle') -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- metric_values must depend on every metric model (dbt's graph is empty at parse time, so its
    union is generated at execute time over dependencies declared in its SQL, lines that
    `make catalog-docs` writes from the catalog: breadcrumbs/catalog_docs.py). -#}
{% macro metrics_values_problems(metric_nodes) -%}
    {%- set problems = [] -%}
    {%- if execute and graph.get('nodes') -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == 'metric_values' -%}
            {%- for metric in metric_nodes if metric.unique_id not in node.depends_on.nodes -%}
                {%- do problems.append('metric ' ~ metric.metric_id ~ ' (' ~ metric.name ~ "): missing from metric_values (run make catalog-docs: it writes -- depends_on: {{ ref('" ~ metric.name ~ "') }} into models/metrics/metric_values.sql)") -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}

{#- on-run-start guard: fail the run, naming every metric and field that breaks the two tests. -#}
{% macro metrics_guard() -%}
    {%- if execute -%}
        {%- set metric_nodes = metrics_nodes() -%}
        {%- set problems = metrics_catalog_problems(metric_nodes) + metrics_values_problems(metric_nodes) -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("metric catalog (docs/metrics.md, two tests):\n  - " ~ problems | join("\n  - ")) }}
        {%- endif -%}
    {%- endif -%}
    select 1 as metrics_guard_passed
{%- endmacro %}

-- Amount credited to a plan's customers for SLA breaches in the month (org: all plans):
-- fct_sla_adherence_plan_monthly.sla_credits_amount.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_sla_adherence') }}
with

sla_plan_monthly as (
    select * from {{ ref('fct_sla_adherence_plan_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('sla_plan_monthly', 'sla_credits_amount') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

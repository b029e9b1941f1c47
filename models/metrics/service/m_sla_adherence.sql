-- Share of a plan's services whose monthly availability met the plan's contractual SLA (org: of all
-- plan and service rows): fct_sla_adherence_plan_monthly.sla_adherence.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
with

sla_plan_monthly as (
    select * from {{ ref('fct_sla_adherence_plan_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('sla_plan_monthly', 'sla_adherence') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- MRR that was at risk and stayed (fct_revenue_protected_monthly: customers of a plan whose
-- service breached its SLO who still pay 60 days after it recovered), per plan and month (org:
-- all plans once every plan is known).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_availability') }}
-- depends_on: {{ ref('m_mttr_minutes') }}
with

protected_monthly as (
    select * from {{ ref('fct_revenue_protected_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('protected_monthly', 'protected_mrr') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Issues labelled `bug` and `customer-reported` opened in the month, per service, team and org
-- (fct_customer_reported_bugs_monthly; zero in months without any).
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_change_failure_rate') }}
-- depends_on: {{ ref('m_availability') }}
with

bugs_monthly as (
    select * from {{ ref('fct_customer_reported_bugs_monthly') }}
),

metric_rows as (
    {{ metrics_entity_monthly('bugs_monthly', 'customer_reported_bug_count') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Median PR opened → first review of the week's PRs, hours.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_pr_size_lines') }}
with

team_weekly as (
    select * from {{ ref('fct_delivery_team_weekly') }}
),

org_weekly as (
    select * from {{ ref('fct_delivery_org_weekly') }}
),

metric_rows as (
    {{ metrics_delivery_weekly('team_weekly', 'org_weekly', 'first_review_time_hours') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

-- Share of the week's CI runs that needed more than one attempt.
with

team_weekly as (
    select * from {{ ref('fct_delivery_team_weekly') }}
),

org_weekly as (
    select * from {{ ref('fct_delivery_org_weekly') }}
),

metric_rows as (
    {{ metrics_delivery_weekly('team_weekly', 'org_weekly', 'ci_flaky_rate') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

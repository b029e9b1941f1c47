-- Share of the week's merged PRs reviewed before merge.
with

team_weekly as (
    select * from {{ ref('fct_delivery_team_weekly') }}
),

org_weekly as (
    select * from {{ ref('fct_delivery_org_weekly') }}
),

metric_rows as (
    {{ metrics_delivery_weekly('team_weekly', 'org_weekly', 'review_coverage') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

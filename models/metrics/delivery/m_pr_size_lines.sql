-- Median lines added + deleted of the week's merged PRs.
with

team_weekly as (
    select * from {{ ref('fct_delivery_team_weekly') }}
),

org_weekly as (
    select * from {{ ref('fct_delivery_org_weekly') }}
),

metric_rows as (
    {{ metrics_delivery_weekly('team_weekly', 'org_weekly', 'pr_size_lines') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

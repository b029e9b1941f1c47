-- Share of production deployments that needed remediation (DORA 2024: failed ÷ all), per team and week.
-- causal drivers (the driver tree in dbt lineage):
-- depends_on: {{ ref('m_ci_flaky_rate') }}
-- depends_on: {{ ref('m_pr_size_lines') }}
with

numerator as (
    select * from {{ ref('m_failed_deployments') }}
),

denominator as (
    select * from {{ ref('m_deployments') }}
),

metric_rows as (
    {{ metrics_ratio('numerator', 'denominator') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

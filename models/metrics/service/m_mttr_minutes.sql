-- Mean detect → resolve minutes of the incidents created per service and week (incident_minutes /
-- incident_count).
with

numerator as (
    select * from {{ ref('m_incident_minutes') }}
),

denominator as (
    select * from {{ ref('m_incident_count') }}
),

metric_rows as (
    {{ metrics_ratio('numerator', 'denominator') }}
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

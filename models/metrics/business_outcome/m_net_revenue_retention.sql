-- Monthly (month-over-month) NRR: (opening MRR + expansion − contraction − churned) / opening MRR,
-- per month; the board's 12-month cohort NRR is m_net_revenue_retention_12m.
with

mrr as (
    select * from {{ ref('m_mrr') }}
),

expansion as (
    select * from {{ ref('m_expansion_mrr') }}
),

contraction as (
    select * from {{ ref('m_contraction_mrr') }}
),

churned as (
    select * from {{ ref('m_churned_mrr') }}
),

opening as (
    select
        entity_type,
        entity_id,
        cast({{ dbt.dateadd('month', 1, 'period_start') }} as date) as period_start,
        value as opening_mrr
    from mrr
),

metric_rows as (
    select
        mrr.entity_type,
        mrr.entity_id,
        mrr.period_start,
        mrr.grain,
        case
            when opening.opening_mrr > 0
                then (
                    opening.opening_mrr
                    + coalesce(expansion.value, 0)
                    - coalesce(contraction.value, 0)
                    - coalesce(churned.value, 0)
                ) / opening.opening_mrr
        end as value
    from mrr
    inner join opening
        on
            mrr.entity_type = opening.entity_type
            and mrr.entity_id = opening.entity_id
            and mrr.period_start = opening.period_start
    left join expansion
        on
            mrr.entity_type = expansion.entity_type
            and mrr.entity_id = expansion.entity_id
            and mrr.period_start = expansion.period_start
    left join contraction
        on
            mrr.entity_type = contraction.entity_type
            and mrr.entity_id = contraction.entity_id
            and mrr.period_start = contraction.period_start
    left join churned
        on
            mrr.entity_type = churned.entity_type
            and mrr.entity_id = churned.entity_id
            and mrr.period_start = churned.period_start
),

final as (
    {{ metrics_select('metric_rows') }}
)

select * from final

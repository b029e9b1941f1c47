-- MRR that was at risk and stayed, per plan and calendar month (entity_type `plan`) and for the
-- whole organisation (`org`): for each plan and month in which a service the plan depends on
-- breached its availability SLO (fct_revenue_at_risk_daily), the MRR of the plan's paying
-- customers of that month who still pay 60 days after the service recovered (the day after the
-- month's last breach day). Zero in months without a breach; null while the 60 days have not
-- passed by the end of the data. Org: the sum over plans once every plan is known. The metric
-- m_revenue_protected is its projection.
with

at_risk_daily as (
    select * from {{ ref('fct_revenue_at_risk_daily') }}
),

customer_months as (
    select * from {{ ref('int_revenue__customer_months') }}
),

plans as (
    select * from {{ ref('plans') }}
),

signals_daily as (
    select * from {{ ref('fct_service_signals_daily') }}
),

months as (
    select distinct cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start
    from signals_daily
),

data_end as (
    select max(signal_date) as last_date from signals_daily
),

exposure as (
    select
        plan_id,
        cast({{ dbt.date_trunc('month', 'signal_date') }} as date) as month_start,
        max(signal_date) as last_breach_date
    from at_risk_daily
    where mrr_at_risk > 0
    group by plan_id, cast({{ dbt.date_trunc('month', 'signal_date') }} as date)
),

checks as (
    select
        plan_id,
        month_start,
        cast({{ dbt.dateadd('day', 61, 'last_breach_date') }} as date) as check_date
    from exposure
),

retained as (
    select
        checks.plan_id,
        checks.month_start,
        sum(at_risk.mrr_amount) as retained_mrr
    from checks
    inner join customer_months as at_risk
        on
            checks.plan_id = at_risk.plan_id
            and checks.month_start = at_risk.month_start
            and at_risk.mrr_amount > 0
    inner join customer_months as later
        on
            at_risk.customer_id = later.customer_id
            and later.month_start = cast({{ dbt.date_trunc('month', 'checks.check_date') }} as date)
            and later.mrr_amount > 0
    group by checks.plan_id, checks.month_start
),

plan_months as (
    select
        plans.plan_id,
        months.month_start,
        case
            when checks.check_date is null then 0.0
            when checks.check_date <= data_end.last_date
                then cast(coalesce(retained.retained_mrr, 0) as double precision)
        end as protected_mrr
    from plans
    cross join months
    cross join data_end
    left join checks
        on plans.plan_id = checks.plan_id and months.month_start = checks.month_start
    left join retained
        on plans.plan_id = retained.plan_id and months.month_start = retained.month_start
),

entity_months as (
    {{ entity_rollup('plan_months', ['plan', 'plan_id'], ['month_start'], ['protected_mrr'],
                     rollups=['org'], strict=true) }}
),

final as (
    select
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(month_start as date) as month_start,
        cast(protected_mrr as double precision) as protected_mrr
    from entity_months
)

select * from final

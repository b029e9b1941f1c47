-- Count tests of the customer-movement metrics (docs/metrics.md and docs/why-algorithm.md): whether
-- a month had more (or fewer) customers leaving, expanding or contracting than the entity's own
-- rate explains. MRR movements are lumpy (one large customer is a red month against a median of 0),
-- so they are judged on customers: of those paying at the start of the month (at risk), how many
-- moved, against the count expected at the entity's pooled rate over the same baseline window
-- metric_status uses, with Poisson noise. A month the test itself finds unusual (z >= 3, `why`'s
-- anomaly threshold) is left out of later months' baselines: a rate is not learnt from a churn wave
-- or a price change (one pass: the months are first judged against every earlier month).
-- metric_status carries count_z_score for `why`.
with

mrr_monthly as (
    select * from {{ ref('fct_mrr_monthly') }}
),

mrr_monthly_org as (
    select * from {{ ref('fct_mrr_monthly_org') }}
),

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

tested_metrics as (
    -- months need the longer window metric_status gives them
    -- the metrics whose change is customers moving, and which movement (catalog
    -- customer_movement, docs/metrics.md)
    select
        metric_id,
        customer_movement as movement,
        21 * coalesce(baseline_weeks, 8) as baseline_days
    from metric_catalog
    where customer_movement is not null
),

entity_months as (
    select
        'plan' as entity_type,
        plan_id as entity_id,
        month_start as period_start,
        opening_customers as customers_at_risk,
        churned_customers,
        expanded_customers,
        contracted_customers
    from mrr_monthly
    union all
    select
        'org' as entity_type,
        'org' as entity_id,
        month_start as period_start,
        opening_customers as customers_at_risk,
        churned_customers,
        expanded_customers,
        contracted_customers
    from mrr_monthly_org
),

movement_counts as (
    select
        entity_type,
        entity_id,
        period_start,
        'churned' as movement,
        customers_at_risk,
        churned_customers as moved_customers
    from entity_months
    union all
    select
        entity_type,
        entity_id,
        period_start,
        'expansion' as movement,
        customers_at_risk,
        expanded_customers as moved_customers
    from entity_months
    union all
    select
        entity_type,
        entity_id,
        period_start,
        'contraction' as movement,
        customers_at_risk,
        contracted_customers as moved_customers
    from entity_months
),

pooled as (
    -- pass 1: every earlier month of the same entity inside the baseline window, pooled
    select
        tested_metrics.metric_id,
        tested_metrics.baseline_days,
        movement_counts.entity_type,
        movement_counts.entity_id,
        movement_counts.period_start,
        movement_counts.movement,
        movement_counts.customers_at_risk,
        movement_counts.moved_customers,
        count(history.period_start) as baseline_points,
        coalesce(sum(history.customers_at_risk), 0) as baseline_customers_at_risk,
        coalesce(sum(history.moved_customers), 0) as baseline_moved_customers
    from tested_metrics
    inner join movement_counts
        on tested_metrics.movement = movement_counts.movement
    left join movement_counts as history
        on
            movement_counts.entity_type = history.entity_type
            and movement_counts.entity_id = history.entity_id
            and movement_counts.movement = history.movement
            and movement_counts.period_start > history.period_start
            and {{ dbt.dateadd('day', '-tested_metrics.baseline_days', 'movement_counts.period_start') }}
            <= history.period_start
    group by
        tested_metrics.metric_id,
        tested_metrics.baseline_days,
        movement_counts.entity_type,
        movement_counts.entity_id,
        movement_counts.period_start,
        movement_counts.movement,
        movement_counts.customers_at_risk,
        movement_counts.moved_customers
),

first_pass as (
    -- posterior mean rate under Jeffreys' prior (an entity where nobody moved in the window
    -- still has a small rate, so one mover is not infinitely surprising)
    select
        pooled.*,
        case
            when pooled.baseline_points >= 3 and pooled.customers_at_risk > 0
                then {{ poisson_tail_z(
                    'cast(pooled.moved_customers as double precision)',
                    'cast(pooled.customers_at_risk as double precision)'
                    ~ ' * (cast(pooled.baseline_moved_customers as double precision) + 0.5)'
                    ~ ' / (cast(pooled.baseline_customers_at_risk as double precision) + 1.0)'
                ) }}
        end as first_z_score
    from pooled
),

ordinary_months as (
    select
        metric_id,
        entity_type,
        entity_id,
        period_start,
        customers_at_risk,
        moved_customers
    from first_pass
    where coalesce(first_z_score, 0) < 3
),

repooled as (
    -- pass 2: the same window without the unusual months
    select
        first_pass.metric_id,
        first_pass.entity_type,
        first_pass.entity_id,
        first_pass.period_start,
        first_pass.movement,
        first_pass.customers_at_risk,
        first_pass.moved_customers,
        first_pass.baseline_points - count(ordinary.period_start) as baseline_unusual_months,
        count(ordinary.period_start) as baseline_points,
        coalesce(sum(ordinary.customers_at_risk), 0) as baseline_customers_at_risk,
        coalesce(sum(ordinary.moved_customers), 0) as baseline_moved_customers
    from first_pass
    left join ordinary_months as ordinary
        on
            first_pass.metric_id = ordinary.metric_id
            and first_pass.entity_type = ordinary.entity_type
            and first_pass.entity_id = ordinary.entity_id
            and first_pass.period_start > ordinary.period_start
            and {{ dbt.dateadd('day', '-first_pass.baseline_days', 'first_pass.period_start') }}
            <= ordinary.period_start
    group by
        first_pass.metric_id,
        first_pass.entity_type,
        first_pass.entity_id,
        first_pass.period_start,
        first_pass.movement,
        first_pass.customers_at_risk,
        first_pass.moved_customers,
        first_pass.baseline_points
),

expected as (
    select
        repooled.*,
        (cast(repooled.baseline_moved_customers as double precision) + 0.5)
        / (cast(repooled.baseline_customers_at_risk as double precision) + 1.0) as baseline_move_rate,
        cast(repooled.customers_at_risk as double precision)
        * (cast(repooled.baseline_moved_customers as double precision) + 0.5)
        / (cast(repooled.baseline_customers_at_risk as double precision) + 1.0) as expected_moved_customers
    from repooled
),

scored as (
    -- no score with fewer than 3 (ordinary) baseline months or nobody at risk, as in
    -- metric_status
    select
        expected.*,
        case
            when expected.baseline_points >= 3 and expected.customers_at_risk > 0
                then {{ poisson_tail_z(
                    'cast(expected.moved_customers as double precision)',
                    'expected.expected_moved_customers'
                ) }}
        end as count_z_score
    from expected
),

final as (
    select
        cast(metric_id as varchar) as metric_id,
        cast(entity_type as varchar) as entity_type,
        cast(entity_id as varchar) as entity_id,
        cast(period_start as date) as period_start,
        cast('month' as varchar) as grain,
        cast(movement as varchar) as movement,
        cast(customers_at_risk as integer) as customers_at_risk,
        cast(moved_customers as integer) as moved_customers,
        cast(baseline_points as integer) as baseline_points,
        cast(baseline_unusual_months as integer) as baseline_unusual_months,
        cast(baseline_customers_at_risk as integer) as baseline_customers_at_risk,
        cast(baseline_moved_customers as integer) as baseline_moved_customers,
        cast(baseline_move_rate as double precision) as baseline_move_rate,
        cast(expected_moved_customers as double precision) as expected_moved_customers,
        cast(count_z_score as double precision) as count_z_score
    from scored
)

select * from final

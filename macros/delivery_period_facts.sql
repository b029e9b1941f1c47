{#- The delivery facts of the periodic delivery marts, written once for every grain
    (fct_delivery_weekly: `week`, fct_delivery_team_monthly: `month`): which rows count, in
    which period, and with which values. Each fact counts in the period of the event that
    completes it: a deployment (its failure, rework and recovery) by its finish, a change's
    lead time and deploy time by its production deployment. `grain` is a dbt.date_trunc date
    part; the period start is returned as `period_column`. -#}

{#- Successful production deployments, one row each. Input `deployments`
    (int_delivery__deployment_outcomes): team_id, finished_at, recovered_at, is_successful,
    is_failed, is_rework. Output: team_id, <period_column>, deployment_date, is_failed,
    is_rework (0/1) and recovery_hours (failed deployments only: finish → recovery). -#}
{% macro delivery_deployment_facts(deployments, grain, period_column) -%}
    select
        team_id,
        cast({{ dbt.date_trunc(grain, 'finished_at') }} as date) as {{ period_column }},
        cast({{ dbt.date_trunc('day', 'finished_at') }} as date) as deployment_date,
        case when is_failed then 1 else 0 end as is_failed,
        case when is_rework then 1 else 0 end as is_rework,
        case
            when is_failed
                then cast({{ delivery_span_minutes('finished_at', 'recovered_at') }} as double precision) / 60
        end as recovery_hours
    from {{ deployments }}
    where is_successful and finished_at is not null
{%- endmacro %}

{#- Human-authored pull requests deployed to production, one row each. Input `pull_requests`
    (int_delivery__pull_requests): team_id, deployed_at, is_bot, lead_time_minutes,
    deploy_minutes. Output: team_id, <period_column>, lead_time_hours, deploy_time_hours. -#}
{% macro delivery_deployed_change_facts(pull_requests, grain, period_column) -%}
    select
        team_id,
        cast({{ dbt.date_trunc(grain, 'deployed_at') }} as date) as {{ period_column }},
        cast(lead_time_minutes as double precision) / 60 as lead_time_hours,
        cast(deploy_minutes as double precision) / 60 as deploy_time_hours
    from {{ pull_requests }}
    where deployed_at is not null and not is_bot
{%- endmacro %}

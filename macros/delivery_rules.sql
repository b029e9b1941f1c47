{#- Delivery rules shared by the models in models/intermediate/delivery and the DevLake
    conformance harness (tests/conformance), which renders the same macros over tables built
    from DevLake's fixture CSVs. Each macro takes relation (or CTE) names with a documented
    column contract and returns a `select` statement or a column expression, so the rule is
    written once and can be checked against the external oracle. Cross-database only. -#}


{#- Minutes from `start_at` to `end_at`, DevLake's span rule: rounded up to the next whole
    minute; null when either end is missing or the rounded span is negative (a review before
    the PR was opened, a deployment that finished before the merge). A span between -59 and
    0 seconds rounds to 0, as in DevLake. -#}
{% macro delivery_span_minutes(start_at, end_at) -%}
    case
        when ceil({{ dbt.datediff(start_at, end_at, 'second') }} / 60.0) >= 0
            then cast(ceil({{ dbt.datediff(start_at, end_at, 'second') }} / 60.0) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}


{#- Previous successful deployment of each successful deployment, within `partition_by`
    (Breadcrumbs: service and environment; DevLake: cicd scope, repo and environment),
    ordered by start time. Unsuccessful deployments get none (they shipped nothing), and
    neither does the first successful one.
    Input `deployments`: deployment_id, is_successful, started_at, finished_at, the partition
    columns. Output: deployment_id, previous_success_deployment_id (successful rows only). -#}
{% macro delivery_previous_success_deployments(deployments, partition_by) -%}
    select
        deployment_id,
        lag(deployment_id) over (
            partition by {{ partition_by | join(', ') }}
            order by started_at, finished_at, deployment_id
        ) as previous_success_deployment_id
    from {{ deployments }}
    where is_successful
{%- endmacro %}


{#- Earliest authored commit of each pull request (the start of coding time). For squash and
    rebase merges the PR's own commits keep their original author dates, so this is the
    first commit as written, not as it landed on main.
    Input `pull_request_commits`: pull_request_id, commit_sha, authored_at.
    Output: pull_request_id, first_commit_sha, first_commit_authored_at. -#}
{% macro delivery_first_commits(pull_request_commits) -%}
    select
        pull_request_id,
        commit_sha as first_commit_sha,
        authored_at as first_commit_authored_at
    from (
        select
            pull_request_id,
            commit_sha,
            authored_at,
            row_number() over (
                partition by pull_request_id
                order by authored_at, commit_sha
            ) as commit_rank
        from {{ pull_request_commits }}
        where authored_at is not null
    ) as ranked_commits
    where commit_rank = 1
{%- endmacro %}


{#- Which reviews count as a pull request's review, whatever its timing (a review before the PR
    was opened still counts; its negative pickup span becomes null): submitted, by someone
    other than its author, bots excluded. A predicate on `reviews` joined to `pull_requests`;
    delivery_review_state_rule adds the states. -#}
{% macro delivery_review_by_another_human(pull_requests, reviews) -%}
    {{ reviews }}.submitted_at is not null
    and not {{ reviews }}.is_bot
    and coalesce({{ reviews }}.reviewer_key, '') <> coalesce({{ pull_requests }}.author_key, '')
{%- endmacro %}


{#- The review states a first review may have: `states` (e.g. ['APPROVED']), or none for any
    submitted review, comments included, as DevLake's first review (every state but PENDING). -#}
{% macro delivery_review_state_rule(state, states=none) -%}
    {%- if states -%}
    {{ state }} in ('{{ states | join("', '") }}')
    {%- else -%}
    {{ state }} <> 'PENDING'
    {%- endif -%}
{%- endmacro %}


{#- First review of each pull request (delivery_review_by_another_human), optionally limited to
    some states (delivery_review_state_rule), with its id: the earliest by submitted_at, ties
    by review_id (DevLake's first_review_id).
    Input `pull_requests`: pull_request_id, author_key. Input `reviews`: pull_request_id,
    review_id, reviewer_key, is_bot, state, submitted_at.
    Output: pull_request_id, review_id, submitted_at. -#}
{% macro delivery_first_reviews(pull_requests, reviews, states=none) -%}
    select
        pull_request_id,
        review_id,
        submitted_at
    from (
        select
            {{ reviews }}.pull_request_id,
            {{ reviews }}.review_id,
            {{ reviews }}.submitted_at,
            row_number() over (
                partition by {{ reviews }}.pull_request_id
                order by {{ reviews }}.submitted_at, {{ reviews }}.review_id
            ) as review_rank
        from {{ reviews }}
        inner join {{ pull_requests }}
            on {{ reviews }}.pull_request_id = {{ pull_requests }}.pull_request_id
        where
            {{ delivery_review_by_another_human(pull_requests, reviews) }}
            and {{ delivery_review_state_rule(reviews ~ '.state', states) }}
    ) as ranked_reviews
    where review_rank = 1
{%- endmacro %}


{#- The times of several first reviews in one pass, when their ids are not needed: for each
    (column, states) pair of `columns`, the submitted_at of delivery_first_reviews with those
    states, which is the earliest submitted_at among the reviews it ranks. One grouped read of
    the reviews instead of one sort per state set.
    Inputs as delivery_first_reviews. Output: pull_request_id and one column per pair (null
    when no review qualifies); a pull request without any counted review has no row. -#}
{% macro delivery_first_review_times(pull_requests, reviews, columns) -%}
    select
        {{ reviews }}.pull_request_id,
        {%- for column, states in columns %}
        min(
            case
                when {{ delivery_review_state_rule(reviews ~ '.state', states) }}
                    then {{ reviews }}.submitted_at
            end
        ) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ reviews }}
    inner join {{ pull_requests }}
        on {{ reviews }}.pull_request_id = {{ pull_requests }}.pull_request_id
    where
        {{ delivery_review_by_another_human(pull_requests, reviews) }}
    group by {{ reviews }}.pull_request_id
{%- endmacro %}


{#- The deployment that shipped each merged pull request: the first (by finish time)
    successful production deployment whose commit range contains the PR's merge commit
    (the merge, squash or last rebased commit on the base branch), in the PR's repo.
    Input `pull_requests`: pull_request_id, repo_full_name, merge_commit_sha.
    Input `deployment_commits`: deployment_id, repo_full_name, commit_sha (the range).
    Input `deployments`: deployment_id, is_successful, is_production, finished_at.
    Output: pull_request_id, deployment_id, deployed_at. -#}
{% macro delivery_pull_request_deployments(pull_requests, deployment_commits, deployments) -%}
    select
        pull_request_id,
        deployment_id,
        deployed_at
    from (
        select
            {{ pull_requests }}.pull_request_id,
            {{ deployments }}.deployment_id,
            {{ deployments }}.finished_at as deployed_at,
            row_number() over (
                partition by {{ pull_requests }}.pull_request_id
                order by {{ deployments }}.finished_at, {{ deployments }}.deployment_id
            ) as deployment_rank
        from {{ pull_requests }}
        inner join {{ deployment_commits }}
            on
                {{ pull_requests }}.merge_commit_sha = {{ deployment_commits }}.commit_sha
                and {{ pull_requests }}.repo_full_name = {{ deployment_commits }}.repo_full_name
        inner join {{ deployments }}
            on {{ deployment_commits }}.deployment_id = {{ deployments }}.deployment_id
        where
            {{ deployments }}.is_successful
            and {{ deployments }}.is_production
            and {{ deployments }}.finished_at is not null
    ) as ranked_deployments
    where deployment_rank = 1
{%- endmacro %}


{#- The four cycle-time parts and the cycle time of a merged pull request, in minutes, from
    the timestamps of relation (or alias) `pr`: first_commit_authored_at, created_at,
    first_review_at, merged_at, deployed_at. Each part follows delivery_span_minutes (rounded
    up, negative = null). Cycle time is the sum of the available parts, with pickup and
    review counted together as the span from opening to merge (so a PR with no review, or a
    review before it was opened, still counts its time in review), as DevLake does. Null
    for unmerged pull requests. Emits five columns: coding_minutes, pickup_minutes,
    review_minutes, deploy_minutes, cycle_minutes. -#}
{% macro delivery_pull_request_time_columns(pr) -%}
    {{ delivery_span_minutes(pr ~ '.first_commit_authored_at', pr ~ '.created_at') }} as coding_minutes,
    {{ delivery_span_minutes(pr ~ '.created_at', pr ~ '.first_review_at') }} as pickup_minutes,
    {{ delivery_span_minutes(pr ~ '.first_review_at', pr ~ '.merged_at') }} as review_minutes,
    {{ delivery_span_minutes(pr ~ '.merged_at', pr ~ '.deployed_at') }} as deploy_minutes,
    case
        when {{ pr }}.merged_at is not null
            then
                coalesce({{ delivery_span_minutes(pr ~ '.first_commit_authored_at', pr ~ '.created_at') }}, 0)
                + coalesce({{ delivery_span_minutes(pr ~ '.created_at', pr ~ '.merged_at') }}, 0)
                + coalesce({{ delivery_span_minutes(pr ~ '.merged_at', pr ~ '.deployed_at') }}, 0)
    end as cycle_minutes
{%- endmacro %}


{#- Each incident linked to the latest successful production deployment of the service it
    hit that finished before the incident started (strictly before). Incidents with no
    such deployment (before the service's first deployment, or on an unknown service) are
    kept with a null deployment. DevLake scopes the same rule to the project; pass the
    project as `service_id` to reproduce it.
    Input `incidents`: incident_id, service_id, created_at.
    Input `deployments`: deployment_id, service_id, is_successful, is_production, finished_at.
    Output: incident_id, deployment_id, deployment_finished_at, minutes_since_deployment. -#}
{% macro delivery_incident_deployment_links(incidents, deployments) -%}
    {{ return(adapter.dispatch('delivery_incident_deployment_links', 'breadcrumbs')(incidents, deployments)) }}
{%- endmacro %}

{#- The default pairs each incident with every earlier deployment of its service and keeps the
    latest (portable; its cost grows with the square of a service's history). -#}
{% macro default__delivery_incident_deployment_links(incidents, deployments) -%}
    select
        incident_id,
        deployment_id,
        deployment_finished_at,
        {{ delivery_span_minutes('deployment_finished_at', 'incident_created_at') }} as minutes_since_deployment
    from (
        select
            {{ incidents }}.incident_id,
            {{ incidents }}.created_at as incident_created_at,
            candidate_deployments.deployment_id,
            candidate_deployments.finished_at as deployment_finished_at,
            row_number() over (
                partition by {{ incidents }}.incident_id
                order by candidate_deployments.finished_at desc, candidate_deployments.deployment_id desc
            ) as recency_rank
        from {{ incidents }}
        left join (
            select
                deployment_id,
                service_id,
                finished_at
            from {{ deployments }}
            where is_successful and is_production and finished_at is not null
        ) as candidate_deployments
            on
                {{ incidents }}.service_id = candidate_deployments.service_id
                and candidate_deployments.finished_at < {{ incidents }}.created_at
    ) as ranked_links
    where recency_rank = 1
{%- endmacro %}

{#- DuckDB: the same links by an as-of join, the latest deployment per service before each
    incident, found in one ordered pass (docs/performance.md). Deployments that finished at the same moment keep the greatest id, the
    default's tie-break. make test-postgres and make test-spark compare the two. -#}
{% macro duckdb__delivery_incident_deployment_links(incidents, deployments) -%}
    select
        linked.incident_id,
        linked.deployment_id,
        linked.deployment_finished_at,
        {{ delivery_span_minutes('linked.deployment_finished_at', 'linked.incident_created_at') }} as minutes_since_deployment
    from (
        select
            {{ incidents }}.incident_id,
            {{ incidents }}.created_at as incident_created_at,
            -- an as-of join on a null time still matches (DuckDB 1.5): no time, no link
            case when {{ incidents }}.created_at is not null then candidate_deployments.deployment_id end as deployment_id,
            case when {{ incidents }}.created_at is not null then candidate_deployments.finished_at end as deployment_finished_at
        from {{ incidents }}
        asof left join (
            select
                service_id,
                finished_at,
                max(deployment_id) as deployment_id
            from {{ deployments }}
            where is_successful and is_production and finished_at is not null
            group by service_id, finished_at
        ) as candidate_deployments
            on
                {{ incidents }}.service_id = candidate_deployments.service_id
                and {{ incidents }}.created_at > candidate_deployments.finished_at
    ) as linked
{%- endmacro %}


{#- `numerator / denominator` as a double, null when the denominator is 0 or null (a week with
    nothing to measure has no rate, rather than a perfect one). -#}
{% macro delivery_safe_ratio(numerator, denominator) -%}
    case
        when {{ denominator }} > 0 then cast({{ numerator }} as double precision) / {{ denominator }}
    end
{%- endmacro %}


{#- Exact minutes (a double, not rounded) from `start_at` to `end_at`, for durations that are
    averaged or summed (CI run times); null when either end is missing. -#}
{% macro delivery_exact_minutes(start_at, end_at) -%}
    cast({{ dbt.datediff(start_at, end_at, 'second') }} as double precision) / 60
{%- endmacro %}


{#- Which failure rule classifies deployments (dbt var `delivery_failure_rule`):
    - `remediation` (default, DORA 2024): a deployment failed when it needed remediation, i.e.
      its next deployment was a rollback, revert or hotfix, or an incident on its service started
      within `delivery_failure_window_hours` (default 24) after it and was not already under way
      (the service's signals were not anomalous before the deployment started);
    - `devlake` (Apache DevLake): any incident linked to it (the latest deployment of the service
      before the incident, however long before) fails it, as do fix deployments.
    A clear error names the var and the accepted values for anything else. -#}
{% macro delivery_failure_rule() -%}
    {%- set rule = var('delivery_failure_rule', 'remediation') -%}
    {%- if rule not in ['remediation', 'devlake'] -%}
        {{ exceptions.raise_compiler_error("dbt var delivery_failure_rule is '" ~ rule ~ "': use remediation (DORA 2024, the default) or devlake (Apache DevLake's incident link)") }}
    {%- endif -%}
    {{ return(rule) }}
{%- endmacro %}


{#- Boolean expression: the incident linked to a deployment (delivery_incident_deployment_links)
    counts as that deployment's failure under `rule` (default: delivery_failure_rule()).
    Columns read from `link`: deployment_id, minutes_since_deployment (deployment finish →
    incident), deployment_started_at, cause_started_at (start of the anomalous-signal episode
    that led to the incident, null when the signals show none).
    remediation: linked, within `window_hours` (var delivery_failure_window_hours, 24) of the
    deployment's finish, and its cause did not begin before the deployment: an episode counts as
    already under way when a whole anomalous hour ended by the time the deployment started.
    devlake: linked. -#}
{% macro delivery_incident_fails_deployment(link, rule=none, window_hours=none) -%}
    {%- set rule = rule or delivery_failure_rule() -%}
    {%- set window_hours = window_hours if window_hours is not none else var('delivery_failure_window_hours', 24) -%}
    {%- if rule == 'devlake' -%}
    ({{ link }}.deployment_id is not null)
    {%- else -%}
    (
        {{ link }}.deployment_id is not null
        and {{ link }}.minutes_since_deployment <= {{ window_hours | int }} * 60
        and (
            {{ link }}.cause_started_at is null
            or {{ dbt.datediff(link ~ '.cause_started_at', link ~ '.deployment_started_at', 'second') }} < 3600
        )
    )
    {%- endif -%}
{%- endmacro %}

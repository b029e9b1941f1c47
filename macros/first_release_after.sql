{#- The first published release after each issue's closing merge, in the issue's repository:
    the earliest `published_at` strictly after `closing_merged_at`, ties by the smallest
    release id. Issues without such a release have no row.
    Input `issues`: issue_id, repo_full_name, created_at, closing_merged_at.
    Input `releases`: release_id, repo_full_name, published_at (the releases that ship).
    Output: issue_id, release_id, published_at, minutes_to_release (from the issue's opening). -#}
{% macro first_release_after(issues, releases) -%}
    {{ return(adapter.dispatch('first_release_after', 'breadcrumbs')(issues, releases)) }}
{%- endmacro %}

{#- The default pairs each issue with every later release of its repository and keeps the first
    (portable; its cost grows with the product of a repository's issues and releases). -#}
{% macro default__first_release_after(issues, releases) -%}
    select
        issue_id,
        release_id,
        published_at,
        minutes_to_release
    from (
        select
            {{ issues }}.issue_id,
            {{ releases }}.release_id,
            {{ releases }}.published_at,
            {{ delivery_exact_minutes(issues ~ '.created_at', releases ~ '.published_at') }} as minutes_to_release,
            row_number() over (
                partition by {{ issues }}.issue_id
                order by {{ releases }}.published_at, {{ releases }}.release_id
            ) as release_rank
        from {{ issues }}
        inner join {{ releases }}
            on
                {{ issues }}.repo_full_name = {{ releases }}.repo_full_name
                and {{ issues }}.closing_merged_at < {{ releases }}.published_at
    ) as ranked_releases
    where release_rank = 1
{%- endmacro %}

{#- DuckDB: the same release by an as-of join, the next release of the repository after each
    merge found in one ordered pass (docs/performance.md); releases published at the same moment
    keep the smallest id first, the default's tie-break. make test-postgres and make test-spark
    compare the two. -#}
{% macro duckdb__first_release_after(issues, releases) -%}
    select
        {{ issues }}.issue_id,
        next_releases.release_id,
        next_releases.published_at,
        {{ delivery_exact_minutes(issues ~ '.created_at', 'next_releases.published_at') }} as minutes_to_release
    from (
        -- an as-of join on a null time still matches (DuckDB 1.5): never shipped
        select * from {{ issues }}
        where closing_merged_at is not null
    ) as {{ issues }}
    asof inner join (
        select
            repo_full_name,
            published_at,
            min(release_id) as release_id
        from {{ releases }}
        where published_at is not null
        group by repo_full_name, published_at
    ) as next_releases
        on
            {{ issues }}.repo_full_name = next_releases.repo_full_name
            and {{ issues }}.closing_merged_at < next_releases.published_at
{%- endmacro %}

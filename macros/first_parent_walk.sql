{#- The commits of each deployment range, walking first parents from the range's head commit
    until its base commit (excluded), a commit older than the base, a parent missing from
    `commits`, or `max_steps` commits. Returns a select of (deployment_id, repo_full_name,
    commit_sha), distinct.
    `ranges`: deployment_id, repo_full_name, head_sha, base_sha, base_committed_at.
    `first_parents`: repo_full_name, commit_sha, parent_sha (the parent at position 0).
    `commits`: repo_full_name, commit_sha, committed_at.
    DuckDB and PostgreSQL walk with a recursive CTE; Spark 3.5 has none, so it folds over a
    per-repo map commit -> first parent with `aggregate` (same stop rules, same result). -#}
{% macro first_parent_walk(ranges, first_parents, commits, max_steps) -%}
    {{ return(adapter.dispatch('first_parent_walk', 'breadcrumbs')(
        ranges, first_parents, commits, max_steps)) }}
{%- endmacro %}

{% macro default__first_parent_walk(ranges, first_parents, commits, max_steps) -%}
    with recursive walk (
        deployment_id, repo_full_name, base_sha, base_committed_at, commit_sha, walk_depth
    ) as (
        select
            ranges.deployment_id,
            ranges.repo_full_name,
            ranges.base_sha,
            ranges.base_committed_at,
            ranges.head_sha as commit_sha,
            1 as walk_depth
        from {{ ranges }} as ranges
        union all
        select
            walk.deployment_id,
            walk.repo_full_name,
            walk.base_sha,
            walk.base_committed_at,
            first_parents.parent_sha as commit_sha,
            walk.walk_depth + 1 as walk_depth
        from walk
        inner join {{ first_parents }} as first_parents
            on
                walk.repo_full_name = first_parents.repo_full_name
                and walk.commit_sha = first_parents.commit_sha
        inner join {{ commits }} as parent_commits
            on
                first_parents.repo_full_name = parent_commits.repo_full_name
                and first_parents.parent_sha = parent_commits.commit_sha
        where
            first_parents.parent_sha <> walk.base_sha
            and (walk.base_committed_at is null or parent_commits.committed_at >= walk.base_committed_at)
            and walk.walk_depth < {{ max_steps }}
    )

    select distinct
        deployment_id,
        repo_full_name,
        commit_sha
    from walk
{%- endmacro %}

{#- Spark: one map per repo (commit -> struct of its first parent and the parent's commit
    time, only parents present in `commits`, latest time when a commit is listed twice), then
    `aggregate` over max_steps - 1 steps carries (current commit, path, done); a step moves to
    the parent while the recursive version's join and where clause would. -#}
{% macro spark__first_parent_walk(ranges, first_parents, commits, max_steps) -%}
    {%- set next = "try_element_at(parent_maps.parents, acc.cur)" -%}
    with parent_edges as (
        select
            first_parents.repo_full_name,
            first_parents.commit_sha,
            first_parents.parent_sha,
            max(parent_commits.committed_at) as parent_committed_at
        from {{ first_parents }} as first_parents
        inner join {{ commits }} as parent_commits
            on
                first_parents.repo_full_name = parent_commits.repo_full_name
                and first_parents.parent_sha = parent_commits.commit_sha
        group by first_parents.repo_full_name, first_parents.commit_sha, first_parents.parent_sha
    ),

    parent_maps as (
        select
            repo_full_name,
            map_from_entries(collect_list(struct(
                commit_sha, named_struct('sha', parent_sha, 'committed_at', parent_committed_at)
            ))) as parents
        from parent_edges
        group by repo_full_name
    ),

    walked as (
        select
            ranges.deployment_id,
            ranges.repo_full_name,
            aggregate(
                sequence(1, greatest({{ max_steps }} - 1, 1)),
                named_struct('cur', ranges.head_sha, 'path', array(ranges.head_sha), 'done', false),
                (acc, step) -> case
                    when acc.done or step >= {{ max_steps }} then acc
                    when coalesce(
                        {{ next }}.sha <> ranges.base_sha
                        and (ranges.base_committed_at is null
                             or {{ next }}.committed_at >= ranges.base_committed_at),
                        false
                    ) then named_struct(
                        'cur', {{ next }}.sha,
                        'path', concat(acc.path, array({{ next }}.sha)),
                        'done', false
                    )
                    else named_struct('cur', acc.cur, 'path', acc.path, 'done', true)
                end
            ).path as path
        from {{ ranges }} as ranges
        left join parent_maps
            on ranges.repo_full_name = parent_maps.repo_full_name
    )

    select distinct
        deployment_id,
        repo_full_name,
        commit_sha
    from walked
    lateral view explode(path) exploded as commit_sha
{%- endmacro %}

-- One row per repo: the service it belongs to and the owning team. A whole-repo row of the
-- `repos` seed wins; otherwise the service that names the repo in `services`. Monorepos with
-- only path-prefix rows map to their first service (file paths of changes are not loaded).
with

repos as (
    select * from {{ ref('repos') }}
),

services as (
    select * from {{ ref('services') }}
),

candidates as (
    select
        repos.repo_full_name,
        repos.service_id,
        case when coalesce(cast(repos.path_prefix as {{ dbt.type_string() }}), '') = '' then 0 else 1 end as preference
    from repos
    union all
    select
        services.repo_full_name,
        services.service_id,
        2 as preference
    from services
),

ranked as (
    select
        candidates.repo_full_name,
        candidates.service_id,
        row_number() over (
            partition by candidates.repo_full_name
            order by candidates.preference, candidates.service_id
        ) as candidate_rank
    from candidates
    where candidates.repo_full_name is not null
),

final as (
    select
        ranked.repo_full_name,
        ranked.service_id,
        services.team_id
    from ranked
    inner join services
        on ranked.service_id = services.service_id
    where ranked.candidate_rank = 1
)

select * from final

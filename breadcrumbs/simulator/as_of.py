"""The simulated organisation as the APIs saw it at a moment: `visible_world(world, as_of)`.

A record is visible once its last change happened before `as_of` (a PR by `updated_at`, an
incident by `last_status_change_at`); a Prometheus sample once its time is at or before
`as_of` (a query evaluated at `as_of` returns it: the `[1h]` range queries stamp an hour at its
end, so the hour just ended is visible). Records changing at or after `as_of` are hidden whole,
with their children (reviews, statuses, jobs, log entries). So the APIs never show the future,
and cursors on update times stay valid when the clock moves on. Stripe objects go by `created`
(the revenue source re-reads customers and subscriptions in full). A FOCUS charge row once
its charge period (a day) has ended: exports hold complete days only. `world.end`, the
simulator's "now", becomes `as_of`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from breadcrumbs.simulator.api.common import dig, parse_time
from breadcrumbs.simulator.world import RepoActivity, Series, World


def _before(as_of: datetime, *stamps: object) -> bool:
    """True when every present timestamp (ISO text or unix seconds) is before `as_of`."""
    times = [parse_time(stamp) for stamp in stamps if stamp not in (None, "")]
    return all(when < as_of for when in times if when is not None)


def _repo(activity: RepoActivity, as_of: datetime) -> RepoActivity:
    pulls = [p for p in activity.pulls
             if _before(as_of, p.get("created_at"), p.get("updated_at"))]
    numbers = {p.get("number") for p in pulls}
    deployments = [d for d in activity.deployments
                   if _before(as_of, d.get("created_at"), d.get("updated_at"))]
    deployment_ids = {d.get("id") for d in deployments}
    runs = [r for r in activity.workflow_runs
            if _before(as_of, r.get("created_at"), r.get("updated_at"))]
    run_ids = {r.get("id") for r in runs}
    return RepoActivity(
        pulls=pulls,
        reviews={n: v for n, v in activity.reviews.items() if n in numbers},
        pull_commits={n: v for n, v in activity.pull_commits.items() if n in numbers},
        commits=[c for c in activity.commits
                 if _before(as_of, dig(c, "commit.committer.date"))],
        deployments=deployments,
        deployment_statuses={i: v for i, v in activity.deployment_statuses.items()
                             if i in deployment_ids},
        releases=[r for r in activity.releases
                  if _before(as_of, r.get("created_at"), r.get("published_at"))],
        workflow_runs=runs,
        workflow_jobs={i: v for i, v in activity.workflow_jobs.items() if i in run_ids},
        issues=[i for i in activity.issues
                if _before(as_of, i.get("created_at"), i.get("updated_at"))],
        milestones=[m for m in activity.milestones
                    if _before(as_of, m.get("created_at"), m.get("updated_at"))],
    )


def visible_world(world: World, as_of: datetime | None) -> World:
    """`world` as served at `as_of` (None: everything, the world itself)."""
    if as_of is None:
        return world
    cutoff = as_of.timestamp()
    incidents = [i for i in world.incidents
                 if _before(as_of, i.get("created_at"), i.get("last_status_change_at"),
                            i.get("resolved_at"))]
    incident_ids = {i.get("id") for i in incidents}
    return replace(
        world,
        end=min(world.end, as_of),
        repos={name: _repo(activity, as_of) for name, activity in world.repos.items()},
        incidents=incidents,
        log_entries={i: v for i, v in world.log_entries.items() if i in incident_ids},
        customers=[c for c in world.customers if _before(as_of, c.get("created"))],
        subscriptions=[s for s in world.subscriptions if _before(as_of, s.get("created"))],
        invoices=[i for i in world.invoices if _before(as_of, i.get("created"))],
        credit_notes=[c for c in world.credit_notes if _before(as_of, c.get("created"))],
        prices=[p for p in world.prices if _before(as_of, p.get("created"))],
        series=[Series(s.metric, s.labels, [p for p in s.points if p[0] <= cutoff])
                for s in world.series],
        cloud_cost=(world.cloud_cost.until(as_of) if hasattr(world.cloud_cost, "until")
                    else [r for r in world.cloud_cost
                          if parse_time(r["ChargePeriodEnd"]) <= as_of]),
        capacity=[Series(s.metric, s.labels, [p for p in s.points if p[0] <= cutoff])
                  for s in world.capacity],
    )

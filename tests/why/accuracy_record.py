"""What a delivery fault did to the team's lead time, by the simulator's own counterfactual: the
scenario's delivery (pull requests and deployments) simulated with and without its faults, each
draw fixed per pull request, so the two runs differ only by what the fault changed. Read by the
accuracy suite (tests/why/accuracy_cases.py) to ask lead time only in the weeks the fault moved
it, never by `why`. The median is recomputed from the simulator's pull requests (first commit)
and deployments (the first successful one created after the merge), which is the warehouse's
DORA lead time in most team weeks (within 5 % in 28 of 34 of review_bottleneck-21's, 36 of 44
of control-35's; both runs are computed the same way, so which weeks moved is what it tells)."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import statistics

from breadcrumbs.simulator.delivery import simulate_delivery
from breadcrumbs.simulator.org import build_org
from breadcrumbs.simulator.rng import to_dt, unix
from breadcrumbs.simulator.scenario import Scenario


def _weekly_lead_hours(scenario: Scenario) -> dict[tuple[str, dt.date], float]:
    """(team, week start) -> median hours from a deployed pull request's first commit to the
    production deployment that shipped it, by the deployment's week (as DORA lead time:
    docs/metric-definitions.md): a merge ships with the first successful deployment created
    after it."""
    org = build_org(scenario)
    end = unix(to_dt(scenario.start) + dt.timedelta(days=scenario.days))
    team_of = scenario.service_team()
    leads: dict[tuple[str, dt.date], list[float]] = {}
    for repo, outcome in simulate_delivery(scenario, org, end).items():
        shipped = sorted((d.created, d.finished) for d in outcome.deploys if d.state == "success")
        starts = [created for created, _ in shipped]
        for pull in outcome.activity.pulls:
            if not pull.get("merged_at"):
                continue
            merged = unix(dt.datetime.fromisoformat(pull["merged_at"].replace("Z", "+00:00")))
            i = bisect.bisect_right(starts, merged)
            commits = outcome.activity.pull_commits.get(pull["number"], [])
            if i == len(shipped) or not commits:
                continue
            first = min(unix(dt.datetime.fromisoformat(
                c["commit"]["author"]["date"].replace("Z", "+00:00"))) for c in commits)
            finished = dt.datetime.fromtimestamp(shipped[i][1], dt.UTC).date()
            week = finished - dt.timedelta(days=finished.weekday())
            leads.setdefault((team_of[repo], week), []).append((shipped[i][1] - first) / 3600)
    return {key: statistics.median(hours) for key, hours in leads.items()}


_MOVED: dict[str, dict[tuple[str, dt.date], tuple[float, float]]] = {}


def lead_time_moved(scenario: Scenario) -> dict[tuple[str, dt.date], tuple[float, float]]:
    """(team, week start) -> (median lead hours with the fault, without it) for the weeks the
    fault raised the median at all (computed once per scenario): only there can the fault be
    the cause of that week's lead time."""
    if scenario.name in _MOVED:
        return _MOVED[scenario.name]
    with_fault = _weekly_lead_hours(scenario)
    without = _weekly_lead_hours(dataclasses.replace(scenario, faults=()))
    _MOVED[scenario.name] = {key: (hours, without[key]) for key, hours in with_fault.items()
                             if key in without and hours > without[key]}
    return _MOVED[scenario.name]

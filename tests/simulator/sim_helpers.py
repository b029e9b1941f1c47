"""Small readers over a World for assertions."""

from __future__ import annotations

import copy
import json
from datetime import datetime

from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.world import World
from tests.paths import ROOT

SCENARIOS = ROOT / "scenarios"

# a compact org for fault tests: two teams, three services, six weeks, no faults
BASE = {
    "seed": 5,
    "start": "2026-03-02",
    "days": 42,
    "org": {"teams": [
        {"id": "payments", "engineers": 5, "services": ["checkout", "billing-api"]},
        {"id": "platform", "engineers": 5, "services": ["gateway"]},
    ]},
    "customers": {"count": 150, "plans": {
        "starter": {"price": 49, "services": ["gateway"]},
        "team": {"price": 199, "services": ["gateway", "checkout"]},
        "enterprise": {"price": 1500, "services": ["gateway", "checkout", "billing-api"],
                       "sla": 0.999},
    }},
    "noise": 0.1,
    "faults": [],
}


def scenario_with(*faults: dict, **overrides) -> Scenario:
    """The BASE scenario with these faults (and top-level overrides)."""
    data = copy.deepcopy(BASE)
    data["faults"] = list(faults)
    data.update(overrides)
    return Scenario.from_dict(data, name="base", source="tests/base.yaml")


def points(world: World, metric: str, service: str) -> list[tuple[int, float]]:
    """The hourly points of one metric of one service."""
    return next(s.points for s in world.series
                if s.metric == metric and s.labels["service"] == service)


def window(pts: list[tuple[int, float]], start: str, end: str) -> list[float]:
    """Values of the hours from `start` to `end` (ISO dates, end excluded). A signal point
    stamped at t covers the hour before t (`increase`/`rate` over [1h]): start < ts <= end."""
    lo = int(datetime.fromisoformat(start + "T00:00:00+00:00").timestamp())
    hi = int(datetime.fromisoformat(end + "T00:00:00+00:00").timestamp())
    return [v for t, v in pts if lo < t <= hi]


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def records(world: World) -> str:
    """Every served record as one JSON string (determinism checks)."""
    return json.dumps({
        "repos": {name: {k: getattr(r, k) for k in r.__dataclass_fields__}
                  for name, r in world.repos.items()},
        "incidents": world.incidents, "log_entries": world.log_entries,
        "customers": world.customers, "subscriptions": world.subscriptions,
        "invoices": world.invoices, "credit_notes": world.credit_notes,
        "series": [[s.metric, s.labels, s.points] for s in world.series],
        "truth": world.truth,
    }, sort_keys=True, default=str)

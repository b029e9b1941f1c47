"""`feature_usage` counters per feature and customer (Prometheus series in the signals source).

A feature reaches customers with the first release published after the merge of the PR that
closes its issue. Each active customer on a plan whose services include the feature's service
adopts it when a cumulative daily hazard passes a fixed per-customer threshold (so a lower
hazard can only delay adoption, never bring it forward). The hazard falls with the days since
release (novelty fades), rises with the feature's appeal and the plan's engagement, and drops
while the service is unhealthy: error-budget burn above 1x is remembered for a week or two
(`HEALTH_MEMORY`), so a CPU saturation or a bad deploy slows adoption of the service's new
features for customers of the plans that use it.

A counter starts at the customer's first use and counts uses (a Prometheus counter exported as
a weekly snapshot, Monday 00:00 UTC, so one point per customer and week); it stops when the
customer's subscription ends, or a year after the feature's release, when the exporter retires
the feature's per-customer series (`TRACKED_DAYS`: adoption tracking, which keeps the number
of series bounded; without it a history of four years exported a series for every customer
and every feature ever released, and each day's samples grew with the length of the history).
The `feature` label is the feature issue's reference (`owner/repo#number`), the `customer` label
the Stripe customer id.
"""

from __future__ import annotations

import math
from datetime import datetime

from breadcrumbs.simulator.rng import DAY, rng_for, to_dt, unix
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.workitems import Feature
from breadcrumbs.simulator.world import Plan, Series

NOVELTY_DAYS = 14.0  # adoption hazard decays as exp(-days since release / NOVELTY_DAYS)
BASE_APPEAL = 0.036  # daily hazard on release day of a typical feature (~35 % in 4 weeks)
PLAN_ENGAGEMENT = (0.8, 1.0, 1.3, 1.3)  # by plan price rank: cheapest first
HEALTH_MEMORY = 0.8  # daily carry-over of remembered unhealthy days
HEALTH_SENSITIVITY = 0.3
MAX_BAD_DAY = 20.0
TRACKED_DAYS = 365  # a feature's per-customer counters are exported for a year after release


def release_times(features: list[Feature], releases: dict[str, list[dict]]) -> dict[str, int]:
    """Feature key -> unix time of the first release published after its closing PR merged."""
    out = {}
    for feature in features:
        if feature.closing_pr_merged is None:
            continue
        published = sorted(_unix(r["published_at"]) for r in releases.get(feature.repo, []))
        later = [p for p in published if p > feature.closing_pr_merged]
        if later:
            out[feature.key] = later[0]
    return out


def remembered_health(burns: list[float]) -> list[float]:
    """Per day, the adoption multiplier (1 healthy, towards 0 after bad days)."""
    memory, out = 0.0, []
    for burn in burns:
        memory = HEALTH_MEMORY * memory + min(MAX_BAD_DAY, max(0.0, burn - 1.0))
        out.append(1.0 / (1.0 + HEALTH_SENSITIVITY * memory))
    return out


def _unix(text: str) -> int:
    return unix(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _active_spans(subscriptions: list[dict], end: int) -> dict[str, list[tuple[str, int, int]]]:
    """Customer -> (plan, from, to) of each subscription, oldest first."""
    spans: dict[str, list[tuple[str, int, int]]] = {}
    for sub in sorted(subscriptions, key=lambda s: (s["created"], s["id"])):
        stop = sub["ended_at"] if sub["ended_at"] is not None else end
        spans.setdefault(sub["customer"], []).append((sub["metadata"]["plan"], sub["created"],
                                                      min(stop, end)))
    return spans


def simulate_usage(scenario: Scenario, plans: list[Plan], features: list[Feature],
                   released: dict[str, int], subscriptions: list[dict],
                   health: dict[str, list[float]], end: int) -> tuple[list[Series], dict]:
    """The feature_usage series and truth (adopters per feature and plan, 4 weeks after)."""
    start = unix(to_dt(scenario.start))
    rank = {p.id: i for i, p in enumerate(sorted(plans, key=lambda p: (p.price_cents, p.id)))}
    services = {p.id: set(p.services) for p in plans}
    spans = _active_spans(subscriptions, end)
    series: list[Series] = []
    truth: dict[str, dict] = {}
    for feature in sorted(features, key=lambda f: f.key):
        release = released.get(feature.key)
        if release is None:
            continue
        appeal = BASE_APPEAL * math.exp(0.5 * rng_for(scenario.seed, "feature-appeal",
                                                      feature.key).gauss(0, 1))
        first_day = (release - start) // DAY
        adopted_4w: dict[str, list[int]] = {}
        for customer in sorted(spans):
            for plan, since, until in spans[customer]:
                if feature.repo not in services[plan] or until <= release or since >= end:
                    continue
                points = _customer_counter(scenario, feature, customer, plan, rank[plan],
                                           appeal, max(release, since), until, first_day,
                                           health[feature.repo], start, release)
                window = adopted_4w.setdefault(plan, [0, 0])
                if since <= release + 28 * DAY < until:
                    window[1] += 1
                    if points and points[0][0] <= release + 28 * DAY:
                        window[0] += 1
                if points:
                    series.append(Series("feature_usage",
                                         {"feature": feature.key, "customer": customer},
                                         points))
                break  # one counter per customer and feature (its first matching span)
        truth[feature.key] = {"released": release, "adopted_4w": adopted_4w}
    return series, truth


def _customer_counter(scenario: Scenario, feature: Feature, customer: str, plan: str,
                      plan_rank: int, appeal: float, begin: int, until: int, first_day: int,
                      health: list[float], start: int, release: int) -> list[tuple[int, float]]:
    """Weekly (Monday 00:00 UTC) counter points from the first use until `until`."""
    rng = rng_for(scenario.seed, "feature-usage", f"{feature.key}|{customer}")
    threshold = -math.log(1.0 - rng.random())
    intensity = math.exp(1.0 + 0.8 * rng.gauss(0, 1))
    engagement = PLAN_ENGAGEMENT[min(3, plan_rank)]
    hazard, total, points = 0.0, 0.0, []
    day = max(first_day, (begin - start) // DAY)
    adopted = False
    retired = release + TRACKED_DAYS * DAY
    while start + (day + 1) * DAY < min(until, start + len(health) * DAY, retired):
        u = rng.random()
        fit = health[day] if 0 <= day < len(health) else 1.0
        if not adopted:
            age = (start + day * DAY - release) / DAY
            hazard += appeal * engagement * math.exp(-max(0.0, age) / NOVELTY_DAYS) * fit
            adopted = hazard >= threshold
            uses = 1 + int(intensity * u) if adopted else 0
        else:
            uses = int(intensity * fit * 2 * u)
        total += uses
        at = start + (day + 1) * DAY
        if adopted and (at // DAY + 3) % 7 == 0:  # the weekly snapshot: Monday 00:00 UTC
            points.append((at, float(total)))
        day += 1
    return points

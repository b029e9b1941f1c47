"""The walk: status → formula decomposition and dimension scan → anomalous causal drivers →
recurse on the strongest until nothing upstream is anomalous (docs/why-algorithm.md)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from breadcrumbs.warehouse import (
    Entity,
    Metric,
    Ownership,
    Warehouse,
    load_catalog,
    load_ownership,
    open_warehouse,
)
from breadcrumbs.why import evidence, scan
from breadcrumbs.why.exposure import (
    DEPLOY_DRIVERS,
    Exposure,
    FailedDeployment,
    checks_deployments,
    customer_exposure,
    deployment_check,
    failed_deployments,
)
from breadcrumbs.why.model import Explanation, Node, Step, Term, Unfollowed
from breadcrumbs.why.periods import period_end
from breadcrumbs.why.settings import walk_settings
from breadcrumbs.why.store import StatusStore

ANOMALY_Z = 3.0  # the asked metric must be this far from its baseline to be explained
# ... or have drifted this far its adverse way with a causal driver red and ANOMALY_Z out
LEAD_Z = 1.0
# a driver of an anomalous metric needs a little less (it is conditioned on it); one home with
# metric_health: var why_driver_z of dbt_project.yml
DRIVER_Z = walk_settings().driver_z
# a sum's input (or a ratio of sums') that carries most of the change is the change (the
# decomposition is exact): it needs only to have moved clearly the same way. Not for a plain
# rate num / den, whose numerator is the same phenomenon as the rate.
CARRIER_SHARE = 0.5
CARRIER_Z = 2.0
# a leading driver must be this many times farther out than its earlier periods went: beating
# the largest of n earlier periods is a 1-in-(n + 1) event in pure noise (one week in eleven
# against ten weeks of history); with an exponential tail, 1.5 times the largest of ten is
# about a 1-in-30 event
OWN_NOISE_MARGIN = 1.5
MAX_DEPTH = 12
Z_CAP = 10.0
LOCAL_BONUS = 1.5
# a causal driver must account for this share of the metric's move: with historical
# co-movement r, a driver z standard deviations out predicts r * z for the metric (both capped)
ACCOUNTS_FOR = 0.15


@dataclass
class Candidate:
    """A causal driver's most out-of-line period in a node's window, as the walk weighed it."""

    node: Node
    rank: float
    corr: float
    reason: str  # "" (qualifies) | weak | accounts | exposure
    accounts: float | None = None
    exposure: Exposure | None = None
    detail: str = ""


class WhyError(ValueError):
    """Bad input: unknown metric, entity or period (the message says what exists)."""


@dataclass
class Walker:
    """Everything one `why` needs: the warehouse, the catalog, ownership and small caches."""

    wh: Warehouse
    catalog: dict[str, Metric]
    ownership: Ownership
    types: dict[str, list[str]] = field(default_factory=dict)
    exposures: dict[tuple, Exposure | None] = field(default_factory=dict)
    # the exposure test last run for a node (the one its causal step was taken on)
    last_exposure: dict[tuple[str, Entity, dt.date], Exposure | None] = field(
        default_factory=dict)
    # the red drivers the leading-driver rule found within their own noise: (z, period) of the
    # farthest their earlier periods went
    noisy: dict[tuple[str, Entity], tuple[float, dt.date]] = field(default_factory=dict)
    # the steps' evidence (the verdicts of a batch need only whether a step exists)
    with_evidence: bool = True
    # metric_status series read so far (a batch preloads them: breadcrumbs/why/verdicts.py)
    store: StatusStore = field(init=False)
    # co-movement over the whole history: the same for every period of a metric and driver
    comovements: dict[tuple, float] = field(default_factory=dict)
    # the entities a metric has values for, by entity type
    entity_ids: dict[tuple[str, str], list[Entity]] = field(default_factory=dict)
    # failed deployments with their hours' errors, by service, read once per service (a batch
    # reads every service's at once: preload_deployments); None when the marts are not there
    deployments: dict[str, list[FailedDeployment]] | None = field(default_factory=dict)
    deployments_preloaded: bool = False

    def __post_init__(self) -> None:
        self.store = StatusStore(self.wh)

    def preload_deployments(self) -> None:
        """Read every service's failed deployments in one query (a batch of walks)."""
        self.deployments = failed_deployments(self.wh)
        self.deployments_preloaded = True

    def service_deployments(self, service: str) -> list[FailedDeployment] | None:
        """The service's failed deployments; None when the marts are not there."""
        if self.deployments is None:
            return None
        if service not in self.deployments and not self.deployments_preloaded:
            found = failed_deployments(self.wh, service)
            if found is None:
                self.deployments = None
                return None
            self.deployments.update(found)
        return self.deployments.get(service, [])

    def comovement(self, node: Node, driver_id: str, entity: Entity, sign: float) -> float:
        key = (node.metric.metric_id, node.entity, node.grain, driver_id, entity, sign)
        if key not in self.comovements:
            self.comovements[key] = scan.comovement(self.wh, node, driver_id, entity, sign)
        return self.comovements[key]

    def entity_types(self, metric_id: str) -> list[str]:
        if metric_id not in self.types:
            self.types[metric_id] = scan.entity_types(self.wh, metric_id)
        return self.types[metric_id]

    def node(self, metric_id: str, entity: Entity, day: dt.date) -> Node | None:
        return scan.load_node(self.store, self.catalog[metric_id], entity, day)

    # -- candidates -------------------------------------------------------------------------

    def formula_terms(self, node: Node) -> list[tuple[Term, Node | None, float]]:
        """Exact decomposition of the node's change over its formula inputs: log-deltas for a
        ratio of two inputs, signed additive deltas otherwise. (term, input node, sign)."""
        inputs = [(d, 1.0 if s == "positive" else -1.0)
                  for d, edge, s in node.metric.drivers if edge == "formula"]
        nodes = [(self.node(d, node.entity, node.period_start), sign) for d, sign in inputs]
        if not nodes:
            return []
        usable = [(n, sign) for n, sign in nodes if n is not None and n.baseline is not None]
        terms: list[tuple[Term, Node | None, float]] = []
        is_ratio = (
            len(usable) == 2 and len(nodes) == 2 and {s for _, s in usable} == {1.0, -1.0}
            and all(n.value > 0 and (n.baseline or 0) > 0 for n, _ in usable)
            and node.value > 0 and (node.baseline or 0) > 0
        )
        if is_ratio:
            # ln(value / implied baseline) = ln(num / num_base) - ln(den / den_base), exactly
            # (the implied baseline num_base / den_base, since medians do not divide)
            parts = [(n, sign, sign * math.log(n.value / (n.baseline or 1.0)))
                     for n, sign in usable]
            total = sum(part for _, _, part in parts)
            for n, sign, part in parts:
                share = part / total if total else 0.0
                terms.append((Term(n.metric.metric_id, n.change, share, unit=n.metric.unit,
                                   currency=n.metric.currency), n, sign))
        else:
            parts = [(n, sign, sign * n.change) for n, sign in usable]
            total = sum(part for _, _, part in parts)
            if node.metric.unit == "ratio" and len(parts) > 2:
                # a ratio of sums (net revenue retention): the level input moves the denominator
                # too, so share the change among the inputs that pushed the way it moved
                along = [part for _, _, part in parts if part * node.change > 0]
                total = sum(along) or total
            for n, sign, part in parts:
                share = part / total if total else 0.0
                terms.append((Term(n.metric.metric_id, n.change, share, unit=n.metric.unit,
                                   currency=n.metric.currency), n, sign))
        return sorted(terms, key=lambda t: t[0].share, reverse=True)

    def dimension_terms(self, node: Node) -> tuple[list[Term], list[Node]]:
        """Adtributor scan of the node's children; the anomalous child carrying the change."""
        children = scan.dimension_children(
            self.wh, node, self.ownership.services_of_team(node.entity.entity_id)
        )
        all_terms: list[Term] = []
        picks: list[Node] = []
        direction = _direction(node)
        for entity_type, ids in children.items():
            terms = scan.dimension_scan(self.store, node, entity_type, ids)
            all_terms.extend(terms)
            for term in terms[:3]:
                child_entity = Entity(entity_type, term.label.split(":", 1)[1])
                child = self.node(node.metric.metric_id, child_entity, node.period_start)
                if child is not None and _score(child, direction) >= DRIVER_Z:
                    picks.append(child)
                    break
        picks.sort(key=lambda c: _score(c, direction), reverse=True)
        return all_terms, picks

    def driver_entities(self, driver_id: str, entity: Entity) -> list[Entity]:
        types = self.entity_types(driver_id)
        if entity.entity_type in types:
            return [entity]
        if entity.entity_type == "org":
            for kind in ("team", "service", "plan"):
                if kind in types:
                    if (driver_id, kind) not in self.entity_ids:
                        rows = self.wh.rows(
                            f"select distinct entity_id from {self.wh.table('metric_values')} "
                            "where metric_id = ? and entity_type = ? order by entity_id",
                            [driver_id, kind],
                        )
                        self.entity_ids[(driver_id, kind)] = [
                            Entity(kind, r["entity_id"]) for r in rows]
                    return self.entity_ids[(driver_id, kind)]
            return []
        for kind in ("service", "team", "plan"):
            if kind in types:
                related = self.ownership.related(entity, kind)
                if related:
                    return related
        return []

    def causal_candidates(self, node: Node, own_period: bool = False
                          ) -> list[tuple[float, float, Node]]:
        """(rank, co-movement, driver node) of the causal drivers anomalous in the node's
        window (from the start of its anomalous run) or the lag before it that account for part
        of its move, strongest first (`own_period`: in the node's own period only)."""
        found = [(c.rank, c.corr, c.node) for c in self.causal_review(node, own_period)
                 if not c.reason]
        return sorted(found, key=lambda c: c[0], reverse=True)

    def causal_review(self, node: Node, own_period: bool = False) -> list[Candidate]:
        """Every causal driver's most out-of-line period in the node's window, and the
        condition it fails ("" when it qualifies): `weak` (below DRIVER_Z the way that would
        explain the move), `accounts` (accounts for less than ACCOUNTS_FOR of the move) or
        `exposure` (customers who moved were not exposed to it more than their plans' own rates
        explain). `own_period`: the window is the node's own period, without the lag."""
        direction = _direction(node)
        moved = min(max(_score(node, direction), DRIVER_Z), Z_CAP)
        lag = node.metric.lag_days  # metric_catalog.lag_days (var why_lag_days, driver_lag_days)
        # a cause comes first: when the node is part of a run of anomalous periods, its drivers
        # must have moved by the run's first period (a deployment on the second day of a CPU
        # saturation did not start the errors, though incidents make it a failed deployment)
        onset = scan.onset(self.store, node, direction, DRIVER_Z)
        start = onset - dt.timedelta(days=lag)
        end = period_end(onset, node.grain)
        if own_period:
            start, end = node.period_start, period_end(node.period_start, node.grain)
        found: list[Candidate] = []
        for driver_id, edge, sign in node.metric.drivers:
            if edge != "causal" or driver_id not in self.catalog:
                continue
            expected = direction * (1.0 if sign == "positive" else -1.0)
            entities = self.driver_entities(driver_id, node.entity)
            hits = scan.window_hits(self.store, self.catalog[driver_id], entities, start, end,
                                    expected)
            for hit in hits[:1]:
                driver = self.node(driver_id, hit.entity, hit.period_start)
                if driver is None:
                    continue
                if hit.score < DRIVER_Z:
                    found.append(Candidate(driver, 0.0, 0.0, "weak"))
                    continue
                corr = self.comovement(node, driver_id, hit.entity,
                                       1.0 if sign == "positive" else -1.0)
                accounts = max(0.0, corr) * min(hit.score, Z_CAP) / moved
                if node.metric.driver_lag_days and hit.entity == node.entity:
                    # a windowed metric (an error budget over 28 days) is the sum of its
                    # driver's periods in the window: what the driver's bad period burned of
                    # the window's total is its part, whatever the history's co-movement (a
                    # first outage has none: the budget was full until then)
                    burned = scan.window_share(self.store, self.catalog[driver_id], hit.entity,
                                               start, end, hit.period_start, expected)
                    accounts = max(accounts, burned)
                    corr = max(corr, burned)
                if accounts < ACCOUNTS_FOR:
                    found.append(Candidate(driver, 0.0, corr, "accounts", accounts))
                    continue
                # evidence at the grain of the effect: customers who moved are blamed on a
                # service-level driver only when they were exposed to it and the exposed moved
                # more than their plans' own rates explain (breadcrumbs.why.exposure)
                cohort = self.cohort_test(node, (start, end))
                if cohort is not None and not cohort.passed:
                    found.append(Candidate(driver, 0.0, corr, "exposure", accounts, cohort))
                    continue
                # the same at the grain of deployments: a service's errors are blamed on a
                # failed deployment only when they rose in the hours after one of its failed
                # deployments (not on a deployment the day before an unrelated blip)
                deployments = (self.service_deployments(node.entity.entity_id)
                               if driver_id in DEPLOY_DRIVERS and checks_deployments(node)
                               else None)
                if deployments is not None:
                    check = deployment_check(node, (start, end), DRIVER_Z, deployments)
                    if not check.passed:
                        found.append(Candidate(driver, 0.0, corr, "exposure", accounts,
                                               detail=check.text()))
                        continue
                # z-scores of different metrics are not comparable far out in the tail: cap
                # them, weigh by co-movement, and prefer a cause on the same entity (a local
                # cause) to one reached through ownership
                local = LOCAL_BONUS if hit.entity == node.entity else 1.0
                rank = min(hit.score, Z_CAP) * (1.0 + max(0.0, corr)) * local
                found.append(Candidate(driver, rank, corr, "", accounts, cohort))
        return found

    def cohort_test(self, node: Node,
                    window: tuple[dt.date, dt.date]) -> Exposure | None:
        """The customer-exposure test of a customer-movement node over the driver window
        (None for any other node), computed once per node."""
        key = (node.metric.metric_id, node.entity, node.period_start, window)
        if key not in self.exposures:
            self.exposures[key] = customer_exposure(self.wh, node, window, DRIVER_Z)
        self.last_exposure[(node.metric.metric_id, node.entity, node.period_start)] = (
            self.exposures[key])
        return self.exposures[key]

    def unfollowed(self, nodes: list[Node], visited: set[tuple[str, Entity]],
                   because: str = "") -> list[Unfollowed]:
        """The red causal drivers of `nodes` (where the walk stopped, and where it started)
        that the walk did not follow, with the condition each failed (`because`: one reason
        for all, e.g. quiet: the metric needed no explanation)."""
        out: list[Unfollowed] = []
        seen: set[tuple[str, Entity]] = set()
        for node in nodes:
            for c in self.causal_review(node):
                key = (c.node.metric.metric_id, c.node.entity)
                if c.node.status != "red" or key in seen:
                    continue
                seen.add(key)
                reason = "on_trail" if key in visited else (because or c.reason)
                if because == "quiet" and key in self.noisy:
                    out.append(Unfollowed(c.node, "own_noise", c.accounts, c.corr,
                                          noise=self.noisy[key]))
                elif reason:
                    out.append(Unfollowed(c.node, reason, c.accounts, c.corr, c.exposure,
                                          c.detail))
        return out

    # -- the walk ---------------------------------------------------------------------------

    def step(self, node: Node, edge: str, share: float, score: float,
             cohort: Exposure | None = None) -> Step:
        found = evidence.collect(self.wh, node, self.ownership) if self.with_evidence else []
        return Step(node=node, edge=edge, share=share, score=score, evidence=found,
                    exposure=cohort)

    def causal_step(self, parent: Node, child: Node, corr: float, rank: float) -> Step:
        """A causal step, with the exposure test that let it be taken from customer
        movements."""
        cohort = self.last_exposure.get((parent.metric.metric_id, parent.entity,
                                         parent.period_start))
        return self.step(child, "causal", max(0.0, min(1.0, corr)), rank, cohort)

    def leading_driver(self, start: Node) -> Step | None:
        """For a metric within its noise that has drifted its adverse way: a causal driver that
        is itself red and far out (|z| >= ANOMALY_Z, no conditioning on the metric) the way
        that pushes it, the strongest first. docs/why-algorithm.md: only a metric green *with
        nothing anomalous* has no root cause. The driver must be red in the metric's own
        period: a leading signal moves with the noise it leads, and a red driver somewhere in a
        lag window of two months would be blamed by coincidence. And it must be out of its own
        noise: its current run OWN_NOISE_MARGIN times farther out than any of its earlier
        periods went, since a weekly median that reaches 5-35 z in ordinary weeks says nothing
        at 5 z (the drivers failing that are kept in `noisy` for `unfollowed`)."""
        if _score(start, _adverse(start)) < LEAD_Z or _direction(start) != _adverse(start):
            return None
        for rank, corr, driver in self.causal_candidates(start, own_period=True):
            moved = _score(driver, _direction(driver))
            if driver.status != "red" or moved < ANOMALY_Z:
                continue
            # judged by its run's peak (a bottleneck's third week is weaker than its first)
            reach, peak = scan.own_noise(self.store, driver, _direction(driver), DRIVER_Z)
            if reach is not None and reach[0] * OWN_NOISE_MARGIN >= peak:
                self.noisy[(driver.metric.metric_id, driver.entity)] = reach
                continue
            return self.causal_step(start, driver, corr, rank)
        return None

    def walk(self, start: Node) -> Explanation:
        first = self.step(start, "start", 1.0, _score(start, _direction(start)))
        lead = None
        if not _is_anomalous(start):
            first.decomposition = [t for t, _, _ in self.formula_terms(start)]
            lead = self.leading_driver(start)
            if lead is None:
                return Explanation(start=first, steps=[], root=None, stop="quiet",
                                   unfollowed=self.unfollowed([start], set(), "quiet"))
        steps: list[Step] = []
        visited = {(start.metric.metric_id, start.entity)}
        current, current_step = start, first
        stop = "depth"
        for _ in range(MAX_DEPTH):
            nxt, lead = lead or self.next_step(current, current_step, visited), None
            if nxt is None:
                stop = "root"
                break
            visited.add((nxt.node.metric.metric_id, nxt.node.entity))
            steps.append(nxt)
            current, current_step = nxt.node, nxt
            # a finer-grained metric is read where its decision is made: go on from the metric
            # it rolls up to, for the owning entity, and that metric's own drivers (a formula
            # step upward, the reverse of a dimension scan's; share 1: the part reported)
            rolled = self.rolled_up(current)
            if rolled is not None and (rolled.metric.metric_id, rolled.entity) not in visited:
                moved = _score(rolled, _direction(current))
                # a rate of counts is judged as a count (two failed deployments of eight where
                # the team fails one most weeks is ordinary, whatever its robust z)
                counted = scan.rate_count_z(self.wh, rolled)
                if counted is not None:
                    moved = min(moved, counted * _direction(current))
                up = self.step(rolled, "formula", 1.0, moved)
                visited.add((rolled.metric.metric_id, rolled.entity))
                steps.append(up)
                current, current_step = rolled, up
                if moved < DRIVER_Z:
                    # one failure within the team's usual rate: nothing for the team's weekly
                    # drivers (flaky tests, PR size) to explain, the team's rate is the root
                    stop = "rollup"
                    break
        if not steps and not _is_unusual(start):
            # red by a fixed threshold, yet within the metric's own noise and nothing upstream
            # moved beyond its noise either (a few customers leaving at the plan's usual rate):
            # the threshold is crossed by the metric's ordinary variation, nothing to trace
            return Explanation(start=first, steps=[], root=None, note="threshold",
                               stop="threshold", unfollowed=self.unfollowed([start], visited))
        if all(step.edge == "formula" for step in steps) and self.ordinary_counts(current):
            # far from its own baseline, but made of customer movements that are each within
            # the plan's usual rate (NRR at 100 % for months, then two customers leave at the
            # usual rate): the size of who moved, not how many, is the change; nothing to trace
            movers = [child for term, child, _ in self.formula_terms(current)
                       if term.share > 0 and child is not None]
            return Explanation(start=first, steps=steps, root=None, note="counts", stop="counts",
                               unfollowed=self.unfollowed([current, start], visited),
                               ordinary=movers)
        root = current
        # a rate's numerator is the same phenomenon as the rate: report the rate
        if steps and steps[-1].edge == "formula":
            parent = steps[-2].node if len(steps) > 1 else start
            if (parent.metric.unit == "ratio" and root.metric.unit == "count"
                    and parent.entity == root.entity):
                root = parent
        return Explanation(start=first, steps=steps, root=root,
                           note="leading" if not _is_anomalous(start) else "", stop=stop,
                           unfollowed=self.unfollowed([current], visited)
                           if stop == "root" else [])

    def ordinary_counts(self, node: Node) -> bool:
        """The node's change is carried only by count-tested formula inputs (customers who
        left, expanded or contracted), none of them unusual by its count test (the walk would
        have followed it otherwise)."""
        carriers = [(term, child) for term, child, _ in self.formula_terms(node)
                    if term.share > 0]
        return bool(carriers) and all(
            child is not None and child.counted and abs(child.z or 0.0) < ANOMALY_Z
            for _, child in carriers)

    def rolled_up(self, node: Node) -> Node | None:
        """The node a root found in a finer-grained metric is reported as: the metric it rolls
        up to (catalog `rolls_up_to`), for the entity that owns the node's entity (a service's
        failed deployment on a day → its team's change failure rate that week), where the
        decision is made. None when the metric does not roll up or the owner is unknown."""
        target = self.catalog.get(node.metric.rolls_up_to or "")
        if target is None:
            return None
        kind = target.entity_type or node.entity.entity_type
        owners = self.ownership.related(node.entity, kind)
        if len(owners) != 1:
            return None
        return self.node(target.metric_id, owners[0], node.period_start)

    def next_step(self, node: Node, here: Step, visited: set[tuple[str, Entity]]) -> Step | None:
        direction = _direction(node)
        # 1. dimension scan: which team, service or plan carries an aggregate's change
        if node.entity.entity_type in ("org", "team"):
            terms, picks = self.dimension_terms(node)
            here.dimension_scan = terms
            for child in picks:
                if (child.metric.metric_id, child.entity) not in visited:
                    label = f"{child.entity.entity_type}:{child.entity.entity_id}"
                    share = next((t.share for t in terms if t.label == label), 0.0)
                    return self.step(child, "formula", share, _score(child, direction))
        # 2. formula inputs: follow the input carrying the largest share when it is anomalous
        formula = self.formula_terms(node)
        here.decomposition = [t for t, _, _ in formula]
        for term, child, sign in formula:
            if child is None or term.share <= 0:
                continue
            if (child.metric.metric_id, child.entity) in visited:
                continue
            score = _score(child, direction * sign)
            carrier = len(formula) != 2 and term.share >= CARRIER_SHARE and score >= CARRIER_Z
            if score >= DRIVER_Z or carrier:
                return self.step(child, "formula", term.share, score)
        # 3. causal drivers anomalous in the same or a lagged window
        candidates = self.causal_candidates(node)
        here.candidates = [
            (c.metric.metric_id, c.entity.entity_id, rank, corr) for rank, corr, c in candidates
        ]
        for rank, corr, child in candidates:
            if (child.metric.metric_id, child.entity) not in visited:
                return self.causal_step(node, child, corr, rank)
        return None


def _direction(node: Node) -> float:
    """+1 when the node moved up from its baseline, -1 when down (its adverse side if flat)."""
    if node.change > 0:
        return 1.0
    if node.change < 0:
        return -1.0
    return -1.0 if node.metric.direction == "higher_is_better" else 1.0


def _score(node: Node, direction: float) -> float:
    """The node's z-score in the given direction (0 without a baseline)."""
    return (node.z or 0.0) * direction


def _adverse(node: Node) -> float:
    """+1 when up is bad for the metric, -1 when down is."""
    return -1.0 if node.metric.direction == "higher_is_better" else 1.0


def _is_anomalous(node: Node) -> bool:
    return node.status == "red" or abs(node.z or 0.0) >= ANOMALY_Z


def _is_unusual(node: Node) -> bool:
    """Far from its own baseline (|z| >= ANOMALY_Z), or without a baseline to tell."""
    return node.z is None or abs(node.z) >= ANOMALY_Z


def explain(
    warehouse: Path, metric_id: str, entity: str | None = None, period: str | None = None
) -> Explanation:
    """Explain a metric for an entity and the period containing `period` (YYYY-MM-DD)."""
    wh = open_warehouse(warehouse)
    try:
        catalog = load_catalog(wh)
        if metric_id not in catalog:
            close = difflib.get_close_matches(metric_id, list(catalog), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise WhyError(f"unknown metric {metric_id!r}{hint}; see metric_catalog")
        walker = Walker(wh=wh, catalog=catalog, ownership=load_ownership(wh))
        target = _resolve_entity(wh, metric_id, entity)
        day = _resolve_day(wh, metric_id, target, period)
        start = walker.node(metric_id, target, day)
        if start is None:
            raise WhyError(
                f"{metric_id} has no value for {target.entity_type} {target.entity_id} in the "
                f"period containing {day.isoformat()}"
            )
        return walker.walk(start)
    finally:
        wh.close()


def _resolve_entity(wh: Warehouse, metric_id: str, text: str | None) -> Entity:
    if text is None:
        found = scan.find_entity(wh, metric_id, "org") or scan.worst_entity(wh, metric_id)
    else:
        found = scan.find_entity(wh, metric_id, text)
    if found is None:
        known = wh.rows(
            f"select distinct entity_id from {wh.table('metric_values')} where metric_id = ? "
            "order by entity_id",
            [metric_id],
        )
        names = ", ".join(r["entity_id"] for r in known) or "none"
        raise WhyError(f"{metric_id} has no entity {text!r} (known: {names})")
    return found


def _resolve_day(wh: Warehouse, metric_id: str, entity: Entity, text: str | None) -> dt.date:
    if text is None:
        latest = scan.latest_complete_period(wh, metric_id, entity)
        if latest is None:
            raise WhyError(f"{metric_id} has no complete period for {entity.entity_id}")
        return latest
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise WhyError(f"--period {text!r} is not a date (YYYY-MM-DD)") from error

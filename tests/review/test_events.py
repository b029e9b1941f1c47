"""The brief tells one event once (issue 24): walks that share a root, a node of the trail or a
piece of evidence (the same incident or deployment) are one trail with the other symptoms named,
told by the longest walk; unrelated walks stay apart; the brief reads complete periods only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.review import review
from breadcrumbs.review.brief import MAX_TRAILS, Moved, _events
from breadcrumbs.review.render import to_markdown
from breadcrumbs.warehouse import Entity, Metric
from breadcrumbs.why.model import Evidence, Explanation, Node, Step

DAY = dt.date(2026, 10, 7)
WEEK = dt.date(2026, 10, 5)


def _metric(metric_id: str, grain: str = "day") -> Metric:
    return Metric(metric_id, metric_id.replace("_", " ").capitalize(), "count",
                  "lower_is_better", grain, 3.0, None, None, ())


def _node(metric_id: str, kind: str, key: str, start: dt.date = DAY, grain: str = "day") -> Node:
    return Node(_metric(metric_id, grain), Entity(kind, key), start, grain, 10.0, 1.0, 9.0,
                "red", robust_z=9.0)


INCIDENT = Evidence("incident", "P1", "2026-10-07 09:00", "high urgency on notifications")
DEPLOY = Evidence("deployment", "D1", "2026-10-07 08:40", "failed deployment of notifications")


def _walk(start: Node, *steps: Node, evidence: tuple[Evidence, ...] = ()) -> Explanation:
    trail = [Step(n, "causal", 0.9, 5.0, evidence=list(evidence)) for n in steps]
    first = Step(start, "start", 1.0, 9.0, evidence=list(evidence) if not steps else [])
    return Explanation(start=first, steps=trail, root=(steps[-1] if steps else start))


@dataclass
class FakeWalker:
    """Returns the walks prepared for each asked (metric, entity)."""

    walks: dict[tuple[str, str], Explanation]
    asked: list[tuple[str, str]] = field(default_factory=list)

    def node(self, metric_id: str, entity: Entity, day: dt.date) -> Node | None:
        return self.walks[(metric_id, entity.entity_id)].start.node

    def walk(self, node: Node) -> Explanation:
        self.asked.append((node.metric.metric_id, node.entity.entity_id))
        return self.walks[(node.metric.metric_id, node.entity.entity_id)]


def _moved(walk: Explanation) -> Moved:
    n = walk.start.node
    return Moved(n.metric, n.entity, n.period_start, n.grain, n.value, n.baseline, n.z, 9.0,
                 "red", "service")


def test_one_checkout_event_is_one_trail() -> None:
    # failed deploy → errors → incident: three red symptoms, one event
    errors = _walk(_node("error_rate", "service", "notifications"),
                   _node("service_change_failure_rate", "service", "notifications"),
                   _node("change_failure_rate", "team", "growth", WEEK, "week"),
                   evidence=(DEPLOY, INCIDENT))
    minutes = _walk(_node("incident_minutes", "service", "notifications", WEEK, "week"),
                    evidence=(INCIDENT,))
    failures = _walk(_node("failed_deployments", "team", "growth", WEEK, "week"),
                     evidence=(DEPLOY,))
    # unrelated: a flaky suite on another team, nothing in common
    flaky = _walk(_node("ci_flaky_rate", "team", "platform", WEEK, "week"),
                  evidence=(Evidence("ci_run", "R9", "2026-10-06", "3 attempts"),))
    walks = {(w.start.node.metric.metric_id, w.start.node.entity.entity_id): w
             for w in (minutes, errors, failures, flaky)}
    moved = [_moved(w) for w in (minutes, errors, failures, flaky)]
    events = _events(FakeWalker(walks), moved)  # type: ignore[arg-type]
    assert len(events) == 2
    assert events[0].trail is errors, "told by the longest walk"
    assert [n.metric.metric_id for n in events[0].symptoms] == ["incident_minutes",
                                                               "failed_deployments"]
    assert events[1].trail is flaky and events[1].symptoms == []


def test_walks_sharing_a_node_are_one_event_and_at_most_max_trails_are_told() -> None:
    shared = _node("latency_p95_ms", "service", "checkout")
    walks = {}
    for i in range(MAX_TRAILS + 2):
        start = _node(f"symptom_{i}", "service", f"s{i}")
        walks[(f"symptom_{i}", f"s{i}")] = (_walk(start, shared) if i < 2
                                            else _walk(start, _node(f"cause_{i}", "service",
                                                                    f"s{i}")))
    events = _events(FakeWalker(walks), [_moved(w) for w in walks.values()])  # type: ignore[arg-type]
    assert len(events) == MAX_TRAILS
    assert [n.metric.metric_id for n in events[0].symptoms] == ["symptom_1"]


@pytest.mark.slow
def test_the_brief_reads_complete_periods_and_names_each_event_once(
    default_warehouse: Path,
) -> None:
    # the latest complete week: the month it falls in is still open (the demo's data ends
    # inside it): those periods are `incomplete`, never red or amber, and not in the brief
    brief = review(default_warehouse, team="payments")
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        open_rows = con.execute(
            "select metric_id, entity_id, period_start, status from metrics.metric_status "
            "where not is_complete and period_start <= ? and period_end >= ?",
            [brief.week_end, brief.week_start]).fetchall()
    finally:
        con.close()
    scope = {"payments", *brief.services, *brief.plans}
    in_scope = [r for r in open_rows if r[1] in scope]
    assert in_scope, "the demo has open periods the brief must leave out"
    assert {r[3] for r in in_scope} == {"incomplete"}
    incomplete = {(m, e, p) for m, e, p, _ in open_rows}
    assert not [m for m in brief.moved
                if (m.metric.metric_id, m.entity.entity_id, m.period_start) in incomplete]
    text = to_markdown(brief)
    assert "its own root cause" not in text
    assert "nothing upstream is anomalous" not in text
    # one failed deployment on checkout that raised its errors and paged an incident: one trail
    assert text.count("failed deployment of checkout") == 1
    assert "same event, also red: Incident minutes on service checkout" in text


def test_the_fault_week_brief_tells_each_root_once(default_warehouse: Path) -> None:
    brief = review(default_warehouse, team="payments", week="2026-08-19")
    roots = [(t.root.metric.metric_id, t.root.entity.entity_id) for t in brief.trails
             if t.root is not None]
    assert len(roots) == len(set(roots))
    # August's few leavers left at their plans' usual rates (the breach's customers leave 2-8
    # weeks later): no trail blames them on the CPU fault, whose event gathers its symptoms
    (cpu,) = [e for e in brief.events if e.trail.root is not None
              and e.trail.root.metric.metric_id == "cpu_utilization"]
    assert cpu.symptoms, "the CPU fault's other red symptoms join its trail"

"""The values `why` works with: catalog entries, nodes of the walk, evidence, the answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Metric:
    """A metric_catalog row and its drivers."""

    metric_id: str
    label: str
    unit: str
    direction: str
    grain: str
    red_z: float
    threshold_amber: float | None
    threshold_red: float | None
    drivers: tuple[tuple[str, str, str], ...]  # (driver_id, edge, sign)
    driver_lag_days: int | None = None  # window metrics: how far back drivers may lead
    entity_type: str | None = None  # the catalog's entity: where the metric's decision is made
    rolls_up_to: str | None = None  # a finer-grained metric: the metric a root here is reported as


@dataclass(frozen=True)
class Entity:
    """An entity of metric_values: org, team, service or plan."""

    entity_type: str
    entity_id: str

    def __str__(self) -> str:
        return self.entity_id


@dataclass
class Node:
    """A metric for one entity and period, with its status against the baseline."""

    metric: Metric
    entity: Entity
    period_start: dt.date
    grain: str
    value: float
    baseline: float | None
    z: float | None
    status: str
    counted: bool = False  # z is the count test's (customer movements), not the robust z

    @property
    def change(self) -> float:
        """Value minus baseline (0 without a baseline)."""
        return self.value - self.baseline if self.baseline is not None else 0.0


def z_text(z: float) -> str:
    """A z-score for people: far tails are just "beyond ±99"."""
    return f"{z:+.1f}" if abs(z) < 100 else (">+99" if z > 0 else "<-99")


@dataclass
class Evidence:
    """A fact from the marts that backs a step: an incident, a deployment, a CI run, a customer."""

    kind: str
    id: str
    at: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "at": self.at, "detail": self.detail}


@dataclass
class Term:
    """One formula input's part of a change (decomposition) or one entity's (dimension scan)."""

    label: str
    change: float
    share: float
    surprise: float | None = None


@dataclass
class Step:
    """A node of the breadcrumb trail and how it was reached from the previous one."""

    node: Node
    edge: str  # formula | causal | start
    share: float
    score: float
    decomposition: list[Term] = field(default_factory=list)
    dimension_scan: list[Term] = field(default_factory=list)
    candidates: list[tuple[str, str, float, float]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Explanation:
    """The answer: the trail from the asked metric to its root cause."""

    start: Step
    steps: list[Step]
    root: Node | None
    # how the walk read the asked metric (not in the JSON): "threshold" (red by a fixed
    # threshold only) or "counts" (ordinary customer movements) when nothing is traced,
    # "leading" when it is within its noise and the trail starts at a red causal driver
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """Exactly the object of docs/why-algorithm.md."""
        node = self.start.node
        evidence = [e.as_dict() for step in [self.start, *self.steps] for e in step.evidence]
        return {
            "metric": node.metric.metric_id,
            "entity": node.entity.entity_id,
            "period": node.period_start.isoformat(),
            "status": node.status,
            "value": node.value,
            "baseline": node.baseline,
            "path": [
                {
                    "metric": step.node.metric.metric_id,
                    "entity": step.node.entity.entity_id,
                    "change": step.node.change,
                    "share": step.share,
                    "edge": step.edge,
                }
                for step in self.steps
            ],
            "root_cause": (
                {"metric": self.root.metric.metric_id, "entity": self.root.entity.entity_id}
                if self.root is not None
                else None
            ),
            "evidence": evidence,
        }

"""The values `why` works with: catalog entries, nodes of the walk, evidence, the answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from breadcrumbs.warehouse.catalog import Entity, Metric


@dataclass(frozen=True)
class CountTest:
    """metric_count_tests for a customer-movement node: who moved against the expected count."""

    movement: str  # churned | expansion | contraction
    moved: int
    expected: float
    at_risk: int


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
    robust_z: float | None = None  # metric_status.z_score: the z the status is set by
    basis: str = "baseline"  # metric_status.status_basis: "thresholds" or "baseline"
    count: CountTest | None = None  # the count test behind z when counted

    @property
    def change(self) -> float:
        """Value minus baseline (0 without a baseline)."""
        return self.value - self.baseline if self.baseline is not None else 0.0


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
    unit: str = ""  # the unit of `change` (the input's, or the scanned metric's)
    currency: str = ""


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
    # a causal step from customer movements: the cohort comparison that let it be taken
    # (breadcrumbs.why.exposure.Exposure)
    exposure: Any = None


@dataclass
class Unfollowed:
    """A causal driver of the node where the walk stopped that was red or out of line in the
    window and was not followed, and the condition it failed."""

    node: Node | None
    reason: str  # weak | accounts | exposure | on_trail | quiet | own_noise
    accounts: float | None = None  # the share of the move it accounts for (reason accounts)
    strength: float | None = None  # historical co-movement with the metric
    # reason exposure: the cohort comparison the customers who moved failed
    # (breadcrumbs.why.exposure.Exposure)
    exposure: Any = None
    detail: str = ""  # reason exposure at another grain (deployments → errors): what was checked
    # reason own_noise: the z-score and period of the farthest the driver's earlier periods went
    noise: tuple[float, dt.date] | None = None


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
    # the condition that stopped the walk: root (nothing upstream of the root qualifies),
    # rollup (the team rate a finer metric rolls up to moved too little to search further),
    # quiet (the asked metric needs no explanation), threshold, counts (see `note`), depth
    stop: str = "root"
    unfollowed: list[Unfollowed] = field(default_factory=list)
    ordinary: list[Node] = field(default_factory=list)  # stop counts: the count-tested movers

    def as_json(self) -> dict[str, Any]:
        """The documented object (docs/why.md, docs/why.schema.json), with the added fields:
        every node's period, value, baseline, z and status; `share` only on formula edges,
        a causal edge's co-movement in `strength`; evidence once per (kind, id)."""
        from breadcrumbs.why.wording import stop_text, unique_evidence

        node = self.start.node
        evidence = [e.as_dict() for e in unique_evidence([self.start, *self.steps])]
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
                    "share": step.share if step.edge == "formula" else None,
                    "edge": step.edge,
                    "strength": step.share if step.edge == "causal" else None,
                    "exposure": step.exposure.as_dict() if step.exposure is not None else None,
                    **_node_fields(step.node),
                }
                for step in self.steps
            ],
            "root_cause": (
                {"metric": self.root.metric.metric_id, "entity": self.root.entity.entity_id,
                 **_node_fields(self.root)}
                if self.root is not None
                else None
            ),
            "evidence": evidence,
            **{k: v for k, v in _node_fields(node).items() if k not in ("period", "status",
                                                                         "value", "baseline")},
            "stop": {"reason": self.stop, "text": stop_text(self)},
            "unfollowed": [
                {"metric": skip.node.metric.metric_id, "entity": skip.node.entity.entity_id,
                 "period": skip.node.period_start.isoformat(), "status": skip.node.status,
                 "reason": skip.reason,
                 "exposure": skip.exposure.as_dict() if skip.exposure is not None else None,
                 "own_noise": None if skip.noise is None else {
                     "z": skip.noise[0], "period": skip.noise[1].isoformat()}}
                for skip in self.unfollowed if skip.node is not None
            ],
        }


def _node_fields(node: Node) -> dict[str, Any]:
    """What a node of the JSON says about itself (docs/why.md)."""
    test = node.count
    return {
        "entity_type": node.entity.entity_type,
        "label": node.metric.label,
        "unit": node.metric.unit,
        "grain": node.grain,
        "period": node.period_start.isoformat(),
        "value": node.value,
        "baseline": node.baseline,
        "z": node.robust_z if node.robust_z is not None or node.counted else node.z,
        "status": node.status,
        "status_basis": node.basis,
        "count_test": (
            {"z": node.z, "movement": test.movement if test else None,
             "moved": test.moved if test else None,
             "expected": test.expected if test else None,
             "at_risk": test.at_risk if test else None}
            if node.counted else None
        ),
    }

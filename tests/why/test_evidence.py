"""Evidence comes from the catalog: every metric of the default demo names an evidence kind
(meta.metric.evidence, docs/metrics.md), and every metric with a kind shows mart rows of it for
some entity and period of the demo; the outcome metrics included."""

from __future__ import annotations

import json
from pathlib import Path

from breadcrumbs.warehouse import Entity, load_catalog, load_ownership, open_warehouse
from breadcrumbs.why import evidence, scan, wording
from breadcrumbs.why.store import StatusStore
from tests.metrics.conftest import ROOT

PERIODS_TRIED = 40  # per metric: its most out-of-line periods first


def test_every_metric_shows_evidence_of_its_catalog_kind(default_warehouse: Path) -> None:
    wh = open_warehouse(default_warehouse)
    try:
        catalog = load_catalog(wh)
        ownership = load_ownership(wh)
        assert len(catalog) >= 47
        without_kind = sorted(m for m, metric in catalog.items() if not metric.evidence)
        assert not without_kind, f"metrics without an evidence kind: {without_kind}"
        silent = []
        shown: set[str] = set()
        for metric_id, metric in sorted(catalog.items()):
            if metric.evidence == "none":
                continue
            periods = wh.rows(
                f"select entity_type, entity_id, period_start from {wh.table('metric_status')} "
                "where metric_id = ? and grain = ? "
                "order by abs(coalesce(z_score, 0)) desc, value desc, period_start desc "
                f"limit {PERIODS_TRIED}",
                [metric_id, metric.grain],
            )
            kinds: set[str] = set()
            for row in periods:
                node = scan.load_node(StatusStore(wh), metric,
                                      Entity(row["entity_type"], row["entity_id"]),
                                      row["period_start"])
                if node is not None:
                    kinds |= {e.kind for e in evidence.collect(wh, node, ownership)}
                if kinds - {"metric"}:
                    break
            if not kinds - {"metric"}:
                silent.append(f"{metric_id} ({metric.evidence})")
            shown |= kinds
        assert not silent, f"metrics whose evidence kind finds no rows on the demo: {silent}"
        # every kind shown has its title in the human output and is a kind of `why --json`
        schema = json.loads((ROOT / "docs" / "why.schema.json").read_text())
        assert shown <= set(wording.EVIDENCE_TITLES)
        assert shown <= set(_kinds_of(schema)), shown
    finally:
        wh.close()


def _kinds_of(schema: object) -> list[str]:
    """The enum of every "kind" property in the JSON schema."""
    found: list[str] = []
    if isinstance(schema, dict):
        kind = schema.get("kind")
        if isinstance(kind, dict) and "enum" in kind:
            found.extend(kind["enum"])
        for value in schema.values():
            found.extend(_kinds_of(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_kinds_of(value))
    return found

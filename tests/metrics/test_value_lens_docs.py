"""The docs landing page groups the business outcomes by value lens in three columns: every
business-outcome metric of the catalog sits in the column of its `value_lens`, and no metric
sits in a column its catalog contradicts."""

from __future__ import annotations

import re
from typing import Any

from tests.metrics.conftest import ROOT, metric_nodes

OVERVIEW = ROOT / "models" / "docs" / "overview.md"
# docs/metrics.md outcome ids: listed on the landing page before every branch that builds them
# has been merged; once a model exists, its catalog decides its column
OUTCOME_IDS = {
    "delivery_predictability", "time_to_market_days", "feature_adoption",
    "customer_reported_bugs", "engineering_cost_per_feature", "toil_share", "revenue_protected",
}


def landing_columns() -> dict[str, set[str]]:
    """Metric ids (m_ stripped) per lens column of the landing page's three-column table."""
    lines = OVERVIEW.read_text().splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| Protects revenue"))
    lenses = re.findall(r"\(`(\w+)`\)", lines[head])
    # the guard's order of engineering's three roles (macros/metrics_guard.sql)
    assert tuple(lenses) == ("protects", "enables", "reduces_cost"), lines[head]
    columns: dict[str, set[str]] = {lens: set() for lens in lenses}
    for line in lines[head + 2:]:
        if not line.startswith("|"):
            break
        cells = line.strip().strip("|").split("|")
        for lens, cell in zip(lenses, cells, strict=True):
            columns[lens] |= set(re.findall(r"`m_(\w+)`", cell))
    return columns


def test_landing_page_groups_business_outcomes_by_lens(manifest: dict[str, Any]) -> None:
    columns = landing_columns()
    nodes = metric_nodes(manifest)
    for metric_id, node in nodes.items():
        meta = node["config"]["meta"]["metric"]
        if meta["layer"] == "business_outcome":
            assert metric_id in columns[meta["value_lens"]], (
                f"{metric_id} belongs in the {meta['value_lens']} column of {OVERVIEW.name}")
    for lens, ids in columns.items():
        for metric_id in ids:
            if metric_id in nodes:
                declared = nodes[metric_id]["config"]["meta"]["metric"].get("value_lens")
                assert declared == lens, f"{metric_id} is listed as {lens}, declared {declared}"
            else:
                assert metric_id in OUTCOME_IDS, f"{metric_id} on the landing page is no metric"

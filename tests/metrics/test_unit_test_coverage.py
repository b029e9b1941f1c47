"""Every metric model (`m_*`) with logic of its own has a dbt unit test on small hand-made input
(issue 22 item 8). A metric that is a projection of one mart column (`metrics_entity_weekly` or
`metrics_entity_monthly` over one mart, docs/adding-a-metric.md) may go without: the logic and its
unit tests live in the mart.

Coverage is read from the parsed project (target/manifest.json of a fresh `dbt parse`): a
model counts as covered when a `unit_tests:` entry anywhere under models/ names it, so a new
metric with logic of its own and without one fails here by name (tests/metrics/test_layers.py
keeps that logic to the shared `metrics_*` macros).
"""

from __future__ import annotations

from typing import Any


def metric_models(manifest: dict[str, Any]) -> set[str]:
    """Names of the metric models (models/metrics/**/m_*.sql)."""
    return {
        node["name"] for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("m_")
        and node["original_file_path"].startswith("models/metrics/")
    }


def is_projection(node: dict[str, Any]) -> bool:
    """A metric model that projects one column of one mart keyed by entity."""
    marts = [ref for ref in node.get("refs", []) if not ref["name"].startswith("m_")]
    return "metrics_entity_" in node["raw_code"] and len(marts) == 1


def unit_tested_models(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Model name -> the unit tests that test it."""
    tested: dict[str, list[str]] = {}
    for test in manifest.get("unit_tests", {}).values():
        tested.setdefault(test["model"], []).append(test["name"])
    return tested


def test_every_metric_model_has_a_unit_test(manifest: dict[str, Any]) -> None:
    models = metric_models(manifest)
    assert len(models) >= 47, sorted(models)
    projections = {node["name"] for node in manifest["nodes"].values()
                   if node["resource_type"] == "model" and node["name"] in models
                   and is_projection(node)}
    missing = sorted(models - set(unit_tested_models(manifest)) - projections)
    assert not missing, (
        f"{len(missing)} metric model(s) without a dbt unit test: {', '.join(missing)} "
        "(add one with hand-made input and the expected rows worked out in a comment, in the "
        "_<dir>__unit_tests.yml next to the model)")


def test_metric_unit_tests_check_rows_by_hand(manifest: dict[str, Any]) -> None:
    """Each metric unit test gives its inputs and expects explicit rows (not an empty result
    and not a SQL fixture), and says what it tests."""
    models = metric_models(manifest)
    weak = []
    for test in manifest.get("unit_tests", {}).values():
        if test["model"] not in models:
            continue
        expect = test.get("expect") or {}
        if not test.get("description") or not expect.get("rows") or expect.get("format") == "sql":
            weak.append(test["name"])
        if any(given.get("format") == "sql" for given in test.get("given", [])):
            weak.append(test["name"])
    assert not weak, ("metric unit tests without a description or expected rows: "
                      f"{sorted(set(weak))}")

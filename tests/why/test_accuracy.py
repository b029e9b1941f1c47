"""Root-cause accuracy of `why` on the scenarios in scenarios/accuracy/ (every fault kind of
DESIGN.md §5, two seeds each, plus no-fault controls): top-1 and top-3 accuracy and the false-alarm
rate on controls, written to tests/artifacts/accuracy.json.

Each scenario is a full demo build (~1.5–2 min on two cores; ~35 min for all 18), so the suite
runs only with BREADCRUMBS_ACCURACY=1 (e.g. `BREADCRUMBS_ACCURACY=1 pytest tests/why -k accuracy
-s`); BREADCRUMBS_ACCURACY_ONLY=kind1,kind2 limits it to some fault kinds and
BREADCRUMBS_ACCURACY_SEEDS=21,31 to some seeds; BREADCRUMBS_ACCURACY_BUILT=<an earlier --basetemp>
re-asks the questions of warehouses built before (<stem>0/wh.duckdb) instead of rebuilding."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from breadcrumbs.why import explain
from tests.conftest import ROOT, build_demo

CASES = ROOT / "scenarios" / "accuracy" / "cases.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(
    os.environ.get("BREADCRUMBS_ACCURACY") != "1",
    reason="accuracy suite builds 18 warehouses: set BREADCRUMBS_ACCURACY=1",
)


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES.read_text())["cases"]
    only = [k for k in os.environ.get("BREADCRUMBS_ACCURACY_ONLY", "").split(",") if k]
    seeds = [s for s in os.environ.get("BREADCRUMBS_ACCURACY_SEEDS", "").split(",") if s]
    return [c for c in cases if (not only or c["kind"] in only)
            and (not seeds or any(c["scenario"].endswith(f"-{s}.yaml") for s in seeds))]


def _answer(warehouse: Path, case: dict[str, Any]) -> dict[str, Any]:
    explanation = explain(warehouse, case["metric"], entity=case["entity"], period=case["period"])
    data = explanation.as_json()
    trail = [(s["metric"], s["entity"]) for s in data["path"]]
    root = data["root_cause"]
    ranked: list[tuple[str, str]] = []
    if root is not None:
        ranked.append((root["metric"], root["entity"]))
        # the runners-up: the deepest breadcrumbs before the root
        for node in reversed([(data["metric"], data["entity"]), *trail]):
            if node not in ranked:
                ranked.append(node)
    expected = [(e["metric"], e["entity"]) for e in case["expect"]]
    return {
        **case,
        "status": data["status"],
        "root_cause": root,
        "path": trail,
        "top1": bool(ranked) and ranked[0] in expected,
        "top3": any(node in expected for node in ranked[:3]),
        "false_alarm": not expected and root is not None,
    }


def test_root_cause_accuracy(tmp_path_factory: pytest.TempPathFactory) -> None:
    results = []
    warehouses: dict[str, Path] = {}
    for case in _cases():
        scenario = case["scenario"]
        if scenario not in warehouses:
            built = Path(os.environ.get("BREADCRUMBS_ACCURACY_BUILT", "/nonexistent"))
            reuse = built / f"{Path(scenario).stem}0" / "wh.duckdb"
            if reuse.exists():
                warehouses[scenario] = reuse
            else:
                target = tmp_path_factory.mktemp(Path(scenario).stem) / "wh.duckdb"
                warehouses[scenario] = build_demo(scenario, target)
        results.append(_answer(warehouses[scenario], case))
    faults = [r for r in results if r["expect"]]
    controls = [r for r in results if not r["expect"]]
    summary = {
        "cases": len(results),
        "top1": sum(r["top1"] for r in faults) / max(1, len(faults)),
        "top3": sum(r["top3"] for r in faults) / max(1, len(faults)),
        "false_alarm_rate": sum(r["false_alarm"] for r in controls) / max(1, len(controls)),
        "by_kind": {
            kind: {
                "top1": sum(r["top1"] for r in rows) / len(rows),
                "top3": sum(r["top3"] for r in rows) / len(rows),
            }
            for kind in sorted({r["kind"] for r in faults})
            for rows in [[r for r in faults if r["kind"] == kind]]
        },
        "results": results,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accuracy.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"\nroot-cause accuracy over {len(faults)} fault cases: top-1 {summary['top1']:.0%}, "
          f"top-3 {summary['top3']:.0%}; false alarms on {len(controls)} control questions: "
          f"{summary['false_alarm_rate']:.0%}")
    for r in results:
        print(f"  {r['kind']:<18} {r['metric']:<24} {r['entity']:<12} → "
              f"{r['root_cause']}  top1={r['top1']} top3={r['top3']}")
    assert results

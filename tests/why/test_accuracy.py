"""Root-cause accuracy of `why` on the scenarios in scenarios/accuracy/ (every fault kind of
docs/scenario-format.md, six seeds each, plus six no-fault controls): top-1 and top-3
accuracy and the false-alarm rate on controls, written to tests/artifacts/accuracy.json.

Each scenario is simulated, ingested over HTTP and built without data tests (about a minute on
an idle two-core machine, several on a busy one; 54 scenarios), so the suite runs only with
BREADCRUMBS_ACCURACY=1 (e.g. `BREADCRUMBS_ACCURACY=1 pytest tests/why -k accuracy -s`);
BREADCRUMBS_ACCURACY_ONLY=kind1,kind2 limits it to some fault kinds and
BREADCRUMBS_ACCURACY_SEEDS=21,31 to some seeds; BREADCRUMBS_ACCURACY_BUILT=<an earlier --basetemp>
re-asks the questions of warehouses built before (<stem>0/wh.duckdb) instead of rebuilding."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from breadcrumbs.demo import run_demo
from breadcrumbs.project import resolve_paths
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.warehouse import open_warehouse
from breadcrumbs.why import explain
from tests.conftest import ROOT

CASES = ROOT / "scenarios" / "accuracy" / "cases.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(
    os.environ.get("BREADCRUMBS_ACCURACY") != "1",
    reason="accuracy suite builds 54 warehouses: set BREADCRUMBS_ACCURACY=1",
)


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES.read_text())["cases"]
    only = [k for k in os.environ.get("BREADCRUMBS_ACCURACY_ONLY", "").split(",") if k]
    seeds = [s for s in os.environ.get("BREADCRUMBS_ACCURACY_SEEDS", "").split(",") if s]
    return [c for c in cases if (not only or c["kind"] in only)
            and (not seeds or any(c["scenario"].endswith(f"-{s}.yaml") for s in seeds))]


# the models only: the data and unit tests run on the default scenario in `make test`
BUILD = ("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def build_scenario(scenario: str, warehouse: Path) -> Path:
    """Simulate, ingest over HTTP and build the models (no data tests) of one scenario."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    paths = resolve_paths(str(warehouse), root=ROOT)
    run_demo(paths, ROOT / scenario, docs=False, say=lambda _message: None, dbt_args=BUILD)
    return warehouse


REVENUE_KINDS = {"churn_wave", "price_change"}


def _window(case: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """Where to look for the symptom: the fault's days (and the month after for revenue faults,
    whose customers leave or renew later) or, for a control, the case's `window`."""
    if "window" in case:
        first, last = case["window"]
        return dt.date.fromisoformat(str(first)), dt.date.fromisoformat(str(last))
    scenario = yaml.safe_load((ROOT / case["scenario"]).read_text())
    fault = scenario["faults"][0]
    start = dt.date.fromisoformat(str(fault["start"]))
    tail = 30 if case["kind"] in REVENUE_KINDS else 0
    return start, start + dt.timedelta(days=int(fault["days"]) - 1 + tail)


def question_period(warehouse: Path, case: dict[str, Any]) -> str:
    """The period someone would ask about: inside the window, the complete period of the symptom
    that is red, worst first (highest adverse z-score), as on a dashboard. Read from the
    warehouse's metric_status, the same table `why` reads; `period` when nothing is there."""
    first, last = _window(case)
    wh = open_warehouse(warehouse)
    try:
        rows = wh.rows(
            f"""
            select status.period_start
            from {wh.table("metric_status")} as status
            inner join {wh.table("metric_catalog")} as catalog
                on status.metric_id = catalog.metric_id
            where status.metric_id = ? and status.entity_id = ? and status.is_complete
                and status.grain = catalog.grain
                and status.period_start <= ? and status.period_end >= ?
            order by status.status = 'red' desc, coalesce(status.adverse_z_score, 0) desc,
                status.period_start
            limit 1
            """,
            [case["metric"], case["entity"], last, first],
        )
    finally:
        wh.close()
    return rows[0]["period_start"].isoformat() if rows else str(case["period"])


def _answer(warehouse: Path, case: dict[str, Any], period: str) -> dict[str, Any]:
    explanation = explain(warehouse, case["metric"], entity=case["entity"], period=period)
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
        "asked_period": data["period"],
        "grain": explanation.start.node.grain,
        "status": data["status"],
        "root_cause": root,
        "path": trail,
        "top1": bool(ranked) and ranked[0] in expected,
        "top3": any(node in expected for node in ranked[:3]),
        "false_alarm": not expected and root is not None,
    }


CFR_ROOTS = {"change_failure_rate", "service_change_failure_rate"}


def natural_defects(scenario: str) -> dict[str, list[dt.datetime]]:
    """The simulator's own record (tests may read it, `why` never does): per team and per
    service, when a deployment that shipped a defect went out. A control has no injected fault,
    but about one deployment in twenty ships a defect there too, as in any organisation."""
    world = generate(load_scenario(ROOT / scenario))
    owner = {service: team["id"] for team in
             yaml.safe_load((ROOT / scenario).read_text())["org"]["teams"]
             for service in team["services"]}
    out: dict[str, list[dt.datetime]] = {}
    for repo, truth in world.truth["deployments"].items():
        for deploy in truth["defective_deployments"]:
            at = dt.datetime.fromisoformat(deploy["created_at"].replace("Z", "+00:00"))
            out.setdefault(repo, []).append(at)
            out.setdefault(owner[repo], []).append(at)
    return out


def names_natural_defect(answer: dict[str, Any], defects: dict[str, list[dt.datetime]]) -> bool:
    """A control's root cause is a deployment failure rate, and a deployment of that team or
    service really shipped a defect (simulator record) in the asked period or the two days
    before it (the walk's lag for daily metrics): a true cause that nobody injected."""
    root = answer["root_cause"]
    if root is None or root["metric"] not in CFR_ROOTS:
        return False
    first = dt.date.fromisoformat(answer["asked_period"]) - dt.timedelta(days=2)
    last = dt.date.fromisoformat(answer["asked_period"]) + dt.timedelta(
        days={"day": 0, "week": 6}.get(answer.get("grain", "day"), 30))
    return any(first <= at.date() <= last for at in defects.get(root["entity"], []))


def answers(warehouse: Path, case: dict[str, Any]) -> list[dict[str, Any]]:
    """A fault case asked about its symptom's worst period in the fault; a control asked about
    its `period` (the headline false-alarm rate) and, as a stress test, about its worst period
    inside `window` (kind `control_worst`: noise at its most extreme)."""
    if case["expect"]:
        return [_answer(warehouse, case, question_period(warehouse, case))]
    return [
        _answer(warehouse, case, str(case["period"])),
        _answer(warehouse, {**case, "kind": "control_worst"}, question_period(warehouse, case)),
    ]


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
                warehouses[scenario] = build_scenario(scenario, target)
        found = answers(warehouses[scenario], case)
        if not case["expect"]:
            defects = natural_defects(scenario)
            for answer in found:
                # the raw count stays in `root_cause`; a defect the simulator really shipped
                # is a true cause, reported apart and not counted as a false alarm
                answer["natural_defect"] = names_natural_defect(answer, defects)
                answer["false_alarm"] = answer["false_alarm"] and not answer["natural_defect"]
        results.extend(found)
    faults = [r for r in results if r["expect"]]
    controls = [r for r in results if r["kind"] == "control"]
    stressed = [r for r in results if r["kind"] == "control_worst"]
    summary = {
        "cases": len(results),
        "top1": sum(r["top1"] for r in faults) / max(1, len(faults)),
        "top3": sum(r["top3"] for r in faults) / max(1, len(faults)),
        "false_alarm_rate": sum(r["false_alarm"] for r in controls) / max(1, len(controls)),
        "false_alarm_rate_worst_period": (
            sum(r["false_alarm"] for r in stressed) / max(1, len(stressed))
        ),
        "natural_defects_named": sum(r.get("natural_defect", False) for r in results),
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
          f"{summary['false_alarm_rate']:.0%} (asked about their worst period: "
          f"{summary['false_alarm_rate_worst_period']:.0%}); control answers naming a defect "
          f"the simulator really shipped (not counted as false alarms): "
          f"{summary['natural_defects_named']}")
    for r in results:
        print(f"  {r['kind']:<18} {r['metric']:<24} {r['entity']:<12} {r['asked_period']} → "
              f"{r['root_cause']}  top1={r['top1']} top3={r['top3']}")
    assert results

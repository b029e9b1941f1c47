"""`why --json` against its documented schema (docs/why.schema.json): real runs on the default
scenario validate, every node carries its period, value, baseline, z and status, `share` only
on formula edges, evidence unique by (kind, id); and the schema rejects what it must."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from breadcrumbs.cli import main
from tests.paths import DOCS
from tests.why.test_wording import _explanation

SCHEMA = json.loads((DOCS / "why.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
DESIGN_FIELDS = ["metric", "entity", "period", "status", "value", "baseline", "path",
                 "root_cause", "evidence"]
NODE_FIELDS = ("period", "value", "baseline", "z", "status")
# (arguments, what the run must show)
RUNS = [
    (["churned_mrr"], "org"),
    (["churned_mrr", "--entity", "team", "--period", "2026-09-01"], "trail"),
    (["revenue_at_risk", "--entity", "enterprise"], "any"),
    (["error_rate", "--entity", "notifications", "--period", "2026-10-07"], "formula+causal"),
    (["availability", "--entity", "checkout", "--period", "2026-08-20"], "trail"),
    (["mrr"], "quiet"),
]


def _checked(data: dict[str, Any]) -> None:
    VALIDATOR.validate(data)
    assert list(data)[:len(DESIGN_FIELDS)] == DESIGN_FIELDS, "the founding fields first"
    for step in data["path"]:
        assert all(field in step for field in NODE_FIELDS)
        assert (step["share"] is None) == (step["edge"] == "causal")
        assert (step["strength"] is None) == (step["edge"] == "formula")
    if data["root_cause"] is not None:
        assert all(field in data["root_cause"] for field in NODE_FIELDS)
    keys = [(e["kind"], e["id"]) for e in data["evidence"]]
    assert len(keys) == len(set(keys)), "evidence once per (kind, id)"


def test_a_handbuilt_answer_validates_and_the_schema_rejects_what_it_must() -> None:
    data = json.loads(json.dumps(_explanation().as_json()))
    _checked(data)
    broken = copy.deepcopy(data)
    broken["path"][0]["share"] = 0.9  # a co-movement in `share` on a causal edge
    assert not VALIDATOR.is_valid(broken)
    broken = copy.deepcopy(data)
    del broken["root_cause"]["period"]
    assert not VALIDATOR.is_valid(broken)
    broken = copy.deepcopy(data)
    broken["path"][0]["status"] = "purple"
    assert not VALIDATOR.is_valid(broken)
    broken = copy.deepcopy(data)
    del broken["evidence"]
    assert not VALIDATOR.is_valid(broken)


@pytest.mark.slow
@pytest.mark.parametrize(("args", "shows"), RUNS, ids=[" ".join(a) for a, _ in RUNS])
def test_real_runs_validate(default_warehouse: Path, capsys: pytest.CaptureFixture[str],
                            args: list[str], shows: str) -> None:
    assert main(["why", *args, "--json", "--warehouse", str(default_warehouse)]) == 0
    data = json.loads(capsys.readouterr().out)
    _checked(data)
    edges = {step["edge"] for step in data["path"]}
    if shows == "org":
        assert data["entity"] == "org" and data["entity_type"] == "org"
    elif shows == "trail":
        assert data["root_cause"] is not None and data["path"]
        assert data["root_cause"]["period"] <= data["period"] or data["grain"] != "day"
    elif shows == "formula+causal":
        assert edges == {"formula", "causal"}
    elif shows == "quiet":
        assert data["root_cause"] is None and data["stop"]["reason"] == "quiet"

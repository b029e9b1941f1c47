"""A parsed manifest of the project and the verdict of its catalog guard: one `dbt run-operation
metrics_guard` (parse into a private target dir, then the real guard macro; no warehouse)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.paths import ROOT


def dbt_env(warehouse: str = ":memory:") -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "BREADCRUMBS_WAREHOUSE": warehouse,
        "BREADCRUMBS_SEEDS": env.get("BREADCRUMBS_SEEDS", "seeds"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    })
    return env


def dbt_bin() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_guard(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """The guard's run (`dbt run-operation metrics_guard`, which parses first) and the
    target/manifest.json that parse wrote: the session fixtures `guarded_parse` and `manifest`
    (tests/conftest.py, shared with the privacy test of tests/marts/)."""
    target = tmp_path_factory.mktemp("dbt-target")
    proc = subprocess.run(
        [dbt_bin(), "run-operation", "metrics_guard", "--target-path", str(target),
         "--no-partial-parse", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)],
        cwd=ROOT, env=dbt_env(), capture_output=True, text=True, check=False,
    )
    manifest_file = target / "manifest.json"
    assert manifest_file.exists(), proc.stdout + proc.stderr
    return proc, json.loads(manifest_file.read_text())


def metric_nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Model nodes carrying config.meta.metric, keyed by metric id (model name without m_)."""
    found = {}
    for node in manifest["nodes"].values():
        meta = (node.get("config") or {}).get("meta") or {}
        if node.get("resource_type") == "model" and meta.get("metric"):
            name = node["name"]
            found[name[2:] if name.startswith("m_") else name] = node
    return found

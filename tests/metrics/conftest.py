"""A parsed manifest of the project (dbt parse into a private target dir; no warehouse)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.fixture(scope="session")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """target/manifest.json of a fresh `dbt parse` of the project."""
    target = tmp_path_factory.mktemp("dbt-target")
    proc = subprocess.run(
        [dbt_bin(), "parse", "--target-path", str(target), "--no-partial-parse",
         "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)],
        cwd=ROOT, env=dbt_env(), capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((target / "manifest.json").read_text())

"""Staging fixtures: the example warehouse, built through dlt, then `dbt build` of staging."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ROOT

if str(ROOT) not in sys.path:  # `tests.fixtures` is imported by its package path
    sys.path.insert(0, str(ROOT))

from tests.fixtures.example_warehouse import build_example_warehouse, write_example_seeds  # noqa: E402
from tests.staging.helpers import SALT, dbt  # noqa: E402

SEED_NAMES = ("teams", "services", "repos", "plans", "plan_services", "slo_targets")


@dataclass(frozen=True)
class StagingBuild:
    warehouse: Path
    manifest: dict
    run_results: dict
    env: dict[str, str]
    target: Path
    dbt_args: tuple[str, ...]


def seeds_path(work: Path) -> str | None:
    """The committed seeds when present; else example seeds in a project-relative folder.

    dbt writes a seed's compiled SQL to target/run/<package>/<seed path>; with an absolute
    seed path that join *is* the CSV, which dbt then overwrites. So a path relative to the
    project root, under build/ (git-ignored), is used.
    """
    if all((ROOT / "seeds" / f"{name}.csv").exists() for name in SEED_NAMES):
        return None
    relative = Path("build") / "test-staging" / work.name / "seeds"
    write_example_seeds(ROOT / relative)
    return str(relative)


@pytest.fixture(scope="session")
def staging_build(tmp_path_factory: pytest.TempPathFactory) -> StagingBuild:
    """Land the API examples, then `dbt build` staging and seeds against them (once)."""
    work = tmp_path_factory.mktemp("staging")
    warehouse = build_example_warehouse(work / "breadcrumbs.duckdb")
    env = dict(os.environ, BREADCRUMBS_WAREHOUSE=str(warehouse), BREADCRUMBS_SALT=SALT,
               DBT_PROFILES_DIR=str(ROOT), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DO_NOT_TRACK="1", RUNTIME__DLTHUB_TELEMETRY="false")
    env.pop("BREADCRUMBS_SEEDS", None)
    seeds = seeds_path(work)
    if seeds:
        env["BREADCRUMBS_SEEDS"] = seeds
    target = work / "target"
    common = ("--target-path", str(target), "--log-path", str(work / "logs"))
    proc = dbt(["build", "--select", "staging", "resource_type:seed",
                "--indirect-selection", "cautious", *common], env)
    if seeds:
        shutil.rmtree(ROOT / seeds, ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return StagingBuild(
        warehouse=warehouse,
        manifest=json.loads((target / "manifest.json").read_text()),
        run_results=json.loads((target / "run_results.json").read_text()),
        env=env,
        target=target,
        dbt_args=common,
    )

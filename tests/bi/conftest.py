"""BI fixtures: an old-DuckDB reader in its own venv, and a scratch copy of a demo warehouse."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from breadcrumbs.project import Paths, resolve_paths
from tests.paths import ROOT

OLD_DUCKDB = "duckdb==1.1.*"
VENV = ROOT / "build" / "venvs" / "duckdb11"


def old_duckdb_python() -> Path:
    """A Python with DuckDB 1.1 (what BI tools embed), created once and reused across runs; a
    file lock keeps two pytest workers from building it at the same time."""
    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import duckdb, sys; sys.exit(duckdb.__version__[:4] != '1.1.')"]
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "duckdb11.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists() and subprocess.run(probe, check=False).returncode == 0:
            return python
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", OLD_DUCKDB], check=True)
        subprocess.run(probe, check=True)
        return python


@pytest.fixture(scope="session")
def duckdb11() -> Path:
    """The interpreter of the DuckDB 1.1 venv (build/venvs/duckdb11)."""
    return old_duckdb_python()


@dataclass(frozen=True)
class Scratch:
    """A copy of a demo warehouse: its paths and the seeds it was built with."""

    paths: Paths
    seeds_dir: Path


@pytest.fixture
def scratch_warehouse(small_warehouse: Path, tmp_path: Path) -> Scratch:
    """A private copy of the small demo warehouse (tests may rebuild and republish it)."""
    source = resolve_paths(str(small_warehouse), root=ROOT)
    target = tmp_path / "wh.duckdb"
    shutil.copyfile(small_warehouse, target)
    paths = resolve_paths(str(target), root=ROOT)
    shutil.copyfile(source.published, paths.published)
    return Scratch(paths, source.seeds_dir)

"""breadcrumbs/dbt.py: how a failed dbt run is reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import breadcrumbs.dbt as dbt
from breadcrumbs.project import resolve_paths
from tests.paths import ROOT

OOM = ("21:33:35  417 of 689 ERROR creating sql table model intermediate.int_delivery__prs\n"
       "  Out of Memory Error: failed to pin block of size 256.0 KiB (2.3 GiB/2.3 GiB used)\n")


def fake_dbt(output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(cmd: list[str], **_kwargs: object) -> subprocess.CompletedProcess:
        return subprocess.CompletedProcess(cmd, 1, stdout=output, stderr="")

    monkeypatch.setattr(dbt.subprocess, "run", run)


def test_out_of_memory_names_the_setting_and_its_value(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    fake_dbt(OOM, monkeypatch)
    monkeypatch.delenv(dbt.MEMORY_LIMIT_ENV, raising=False)
    with pytest.raises(dbt.DbtError) as error:
        dbt.run_dbt(["build"], paths)
    assert "Out of Memory Error" in str(error.value)
    assert "BREADCRUMBS_DUCKDB_MEMORY_LIMIT=2500MB (the default): set it higher" in str(error.value)
    monkeypatch.setenv(dbt.MEMORY_LIMIT_ENV, "3GB")
    with pytest.raises(dbt.DbtError) as error:
        dbt.run_dbt(["build"], paths)
    assert "BREADCRUMBS_DUCKDB_MEMORY_LIMIT=3GB: set it higher" in str(error.value)


def test_other_failures_carry_no_memory_hint(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    fake_dbt("12:00:00  1 of 1 FAIL 3 unique_x\n", monkeypatch)
    with pytest.raises(dbt.DbtError) as error:
        dbt.run_dbt(["build"], paths)
    assert "FAIL 3 unique_x" in str(error.value)
    assert dbt.MEMORY_LIMIT_ENV not in str(error.value)


def test_the_default_in_the_hint_is_the_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint's default is the one profiles.yml sets."""
    profile = (ROOT / "profiles.yml").read_text()
    assert f"env_var('{dbt.MEMORY_LIMIT_ENV}', '2500MB')" in profile
    assert "2500MB (the default)" in dbt.memory_hint(OOM, {})

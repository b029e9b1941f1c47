"""A second `breadcrumbs demo` redoes only what changed (breadcrumbs/demo_state.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import breadcrumbs.demo as demo
from breadcrumbs.demo_state import DemoState, build_fingerprint, fingerprint, raw_fingerprint
from breadcrumbs.project import Paths, resolve_paths
from tests.paths import ROOT

SMALL = ROOT / "scenarios" / "small.yaml"


@pytest.fixture
def rerun_copy(small_warehouse: Path, tmp_path: Path) -> Paths:
    """A private copy of the small demo (warehouse, published file, demo state and seeds),
    as if `breadcrumbs demo` had made it at this path."""
    source = resolve_paths(str(small_warehouse), root=ROOT)
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    shutil.copyfile(source.warehouse, paths.warehouse)
    shutil.copytree(source.state_dir, paths.state_dir)
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)
    shutil.copytree(source.seeds_dir, paths.seeds_dir)
    shutil.copyfile(source.published, paths.published)
    state = DemoState.load(paths.state_dir)
    state.published_stamp = demo.file_stamp(paths.published)  # the copy's own file
    state.save()
    yield paths
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)


def _forbid(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an unchanged demo must not redo this stage")

    for name in names:
        monkeypatch.setattr(demo, name, refuse)


def _tables(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
                for s, t in con.execute("select schema_name, table_name from duckdb_tables() "
                                        "order by 1, 2").fetchall()}
    finally:
        con.close()


def test_an_unchanged_demo_reruns_nothing(
    rerun_copy: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _tables(rerun_copy.warehouse)
    _forbid(monkeypatch, "generate", "ingest_simulated", "run_dbt", "publish",
            "_reset_demo_warehouse")
    said: list[str] = []
    result = demo.run_demo(rerun_copy, SMALL, docs=False, say=said.append)
    assert all(seconds == 0.0 for seconds in result.timings.values()), result.timings
    assert any("reusing its landed raw data" in line for line in said), said
    assert result.raw_rows and sum(result.raw_rows.values()) > 0
    assert result.published and all(rows >= 0 for rows in result.published.values())
    assert _tables(rerun_copy.warehouse) == before


def test_a_project_change_rebuilds_only_what_changed(
    rerun_copy: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the models differ from the last build, dbt runs (for real) on the modified nodes
    and their descendants, compared with the manifest the last build saved; raw data stays."""
    state = DemoState.load(rerun_copy.state_dir)
    state.stages["build"] = "a project that has changed since"
    state.save()
    calls: list[list[str]] = []
    real_run_dbt: Callable[..., str] = demo.run_dbt

    def recording(args: list[str], *rest: object, **kwargs: object) -> str:
        calls.append(list(args))
        return real_run_dbt(args, *rest, **kwargs)

    monkeypatch.setattr(demo, "run_dbt", recording)
    _forbid(monkeypatch, "generate", "ingest_simulated", "_reset_demo_warehouse")
    raw_before = {k: v for k, v in _tables(rerun_copy.warehouse).items() if k.startswith("raw_")}
    demo.run_demo(rerun_copy, SMALL, docs=False, say=lambda _line: None)
    assert calls == [["build", "--select", "state:modified+", "--state",
                      str(rerun_copy.state_dir / "last-build"), "--full-refresh"]]
    after = DemoState.load(rerun_copy.state_dir)
    raw_fp = raw_fingerprint(ROOT, SMALL)
    assert after.stages["build"] == build_fingerprint(ROOT, raw_fp, ["build"])
    assert after.stages["publish"] == after.stages["build"]
    assert {k: v for k, v in _tables(rerun_copy.warehouse).items()
            if k.startswith("raw_")} == raw_before


def test_data_landed_by_something_else_starts_the_demo_over(rerun_copy: Paths) -> None:
    con = duckdb.connect(str(rerun_copy.warehouse))
    schema = con.execute("select schema_name from duckdb_tables() where table_name = "
                         "'_dlt_loads' order by 1 limit 1").fetchone()[0]
    con.execute(f"insert into {schema}._dlt_loads select * replace ('9999999999.0' as load_id) "
                f"from {schema}._dlt_loads limit 1")
    con.close()
    assert demo._reusable_state(rerun_copy, raw_fingerprint(ROOT, SMALL)) is None


def test_another_scenario_starts_the_demo_over(rerun_copy: Paths, tmp_path: Path) -> None:
    other = tmp_path / "small-but-different.yaml"
    other.write_text(SMALL.read_text() + "\n# a changed scenario\n")
    assert demo._reusable_state(rerun_copy, raw_fingerprint(ROOT, SMALL)) is not None
    assert demo._reusable_state(rerun_copy, raw_fingerprint(ROOT, other)) is None


def test_an_interrupted_stage_is_forgotten_with_every_later_one(tmp_path: Path) -> None:
    state = DemoState(tmp_path)
    for stage in ("raw", "build", "docs", "publish"):
        state.finished(stage, f"fp-{stage}")
    state.starting("build")  # then killed: `finished` never runs
    saved = DemoState.load(tmp_path)
    assert saved.stages == {"raw": "fp-raw"}
    (tmp_path / "demo-state.json").write_text("{not json")
    assert DemoState.load(tmp_path).stages == {}  # unreadable state: rebuild everything


def test_fingerprint_follows_content_not_caches(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.sql"
    model.write_text("select 1 as one\n")
    first = fingerprint(tmp_path, ["models", "missing.yml"], ["duckdb"])
    (tmp_path / "models" / "__pycache__").mkdir()
    (tmp_path / "models" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert fingerprint(tmp_path, ["models", "missing.yml"], ["duckdb"]) == first
    model.write_text("select 2 as one\n")
    assert fingerprint(tmp_path, ["models", "missing.yml"], ["duckdb"]) != first
    assert json.dumps(first)  # a plain string, stored in demo-state.json

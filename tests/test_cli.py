"""The `breadcrumbs` command: verbs, and errors as one clear line without secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from breadcrumbs.cli import build_parser, main
from breadcrumbs.ingest import simulator_env
from breadcrumbs.simulator.server import serve
from tests.fixtures.small_world import small_world
from tests.paths import ROOT


def test_the_design_verbs_are_there() -> None:
    verbs = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001
    assert {"demo", "simulate", "ingest", "publish", "run", "why", "report", "review", "doctor",
            "ownership"} <= set(verbs)


def test_simulate_without_serve_prints_what_it_would_serve(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["simulate", "--scenario", "scenarios/small.yaml"]) == 0
    out = capsys.readouterr().out
    assert "raw_github.pull_requests" in out and "raw_signals.samples" in out


def test_ingest_with_a_wrong_token_is_one_line_naming_the_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = small_world()
    with serve(world) as server:
        for key, value in simulator_env(server, world).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("SOURCES__INCIDENTS__API_TOKEN", "pd-wrong-secret-123")
        code = main(["ingest", "--source", "incidents", "--warehouse",
                     str(tmp_path / "wh.duckdb")])
    assert code == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "incidents" in err and "sources.incidents.api_token" in err
    assert "Traceback" not in err
    assert "pd-wrong-secret-123" not in err + captured.out
    assert len([line for line in err.splitlines() if line.strip()]) <= 2


def test_unknown_scenario_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["simulate", "--scenario", "scenarios/nope.yaml"]) == 1
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "Traceback" not in err

"""`breadcrumbs ownership` without a catalog: a starter set from what the sources see, served
by the simulator on loopback through the real source clients."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from breadcrumbs.cli import main
from breadcrumbs.ingest import simulator_env
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.server import SimulatorServer, serve
from breadcrumbs.simulator.world import World
from tests.paths import ROOT


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def world() -> World:
    return generate(load_scenario(ROOT / "scenarios" / "small.yaml"))


@pytest.fixture
def server(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimulatorServer]:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("OWNERSHIP__CATALOG_LOCATIONS", raising=False)
    with serve(world) as running:
        for key, value in simulator_env(running, world).items():
            monkeypatch.setenv(key, value)
        yield running


def test_the_starter_set_names_repos_pagerduty_services_teams_and_plans(
        world: World, server: SimulatorServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seeds"
    assert main(["ownership", "--out", str(out)]) == 0
    services = sorted(world.services, key=lambda s: s.id)
    assert rows(out / "services.csv") == [
        ["service_id", "team_id", "repo_full_name", "pagerduty_service_id"],
        *([s.id, s.team_id, s.repo_full_name, s.pagerduty_service_id] for s in services)]
    assert rows(out / "repos.csv") == [["repo_full_name", "path_prefix", "service_id"],
                                       *([s.repo_full_name, "", s.id] for s in services)]
    assert rows(out / "teams.csv") == [["team_id", "engineers", "monthly_cost_usd"],
                                       *([t, "", ""] for t in sorted({s.team_id
                                                                      for s in services}))]
    assert rows(out / "plans.csv") == [
        ["plan_id", "price_cents", "currency", "sla_availability"],
        *([p.id, str(p.price_cents), "usd", ""] for p in sorted(world.plans,
                                                                  key=lambda p: p.id))]
    # one request per source: the repos are configured, so GitHub is not asked
    assert server.path_counts("/pagerduty") == {"/pagerduty/services": 1}
    assert server.path_counts("/stripe") == {"/stripe/v1/products": 1}
    assert not server.path_counts("/github")
    printed = capsys.readouterr().out
    assert "starter set from github, incidents, revenue" in printed
    assert "fill in engineers" in printed and f"wrote     {out / 'plans.csv'}  (3 rows)" in printed


def test_without_configured_repos_the_token_lists_them(
        world: World, server: SimulatorServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__GITHUB__REPOS", "")
    monkeypatch.setenv("SOURCES__CI__REPOS", "")
    monkeypatch.setenv("SOURCES__REVENUE__API_KEY", "")  # not configured: plans left alone
    monkeypatch.delenv("SOURCES__REVENUE__BASE_URL")
    out = tmp_path / "seeds"
    assert main(["ownership", "--out", str(out)]) == 0
    assert [row[2] for row in rows(out / "services.csv")[1:]] == sorted(world.repos)
    assert server.path_counts("/github") == {"/github/user/repos": 1}
    assert not server.path_counts("/stripe")
    assert not (out / "plans.csv").exists()
    printed = capsys.readouterr().out
    assert f"used the {len(world.repos)} repos the token can read" in printed
    assert "revenue: not configured" in printed


def test_a_refused_token_is_one_line_without_the_token(
        server: SimulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__INCIDENTS__API_TOKEN", "pd-wrong-secret-4711")
    out = tmp_path / "seeds"
    assert main(["ownership", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    first = captured.err.splitlines()[0]
    assert "incidents" in first and "sources.incidents.api_token" in first
    assert "breadcrumbs doctor" in first
    assert "pd-wrong-secret-4711" not in captured.err + captured.out
    assert not out.exists()


def test_nothing_configured_says_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("OWNERSHIP__CATALOG_LOCATIONS", raising=False)
    for name in ("GITHUB__ACCESS_TOKEN", "CI__ACCESS_TOKEN", "GITHUB__REPOS", "CI__REPOS"):
        monkeypatch.setenv(f"SOURCES__{name}", "")
    assert main(["ownership", "--out", str(tmp_path / "seeds")]) == 1
    err = capsys.readouterr().err
    assert "no catalog and no GitHub repos — set ownership.catalog_locations" in err

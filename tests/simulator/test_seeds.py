"""The committed seeds are exactly what the generator writes for the default scenario."""

from __future__ import annotations

from sim_helpers import ROOT

from breadcrumbs.simulator.seeds import main, seed_tables, write_seeds


def test_committed_seeds_match_the_default_scenario(default_world, tmp_path):
    written = write_seeds(default_world, tmp_path)
    assert sorted(p.name for p in written) == sorted(seed_tables(default_world))
    for path in written:
        committed = ROOT / "seeds" / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"seeds/{path.name} drifted: run `python -m breadcrumbs.simulator.seeds "
            "scenarios/default.yaml seeds`")


def test_seed_contents(default_world):
    tables = seed_tables(default_world)
    assert tables["teams.csv"][0] == ["team_id", "engineers", "monthly_cost_usd"]
    assert ["payments", "6", "90000"] in tables["teams.csv"]
    assert ["enterprise", "150000", "usd", "0.999"] in tables["plans.csv"]
    assert ["starter", "4900", "usd", ""] in tables["plans.csv"]
    services = {row[0] for row in tables["services.csv"][1:]}
    assert {row[1] for row in tables["plan_services.csv"][1:]} <= services
    slos = {(row[0], row[1]) for row in tables["slo_targets.csv"][1:]}
    assert slos == {(s, kind) for s in services for kind in ("availability", "latency")}


def test_cli_writes_seeds(tmp_path, capsys):
    assert main([str(ROOT / "scenarios" / "small.yaml"), str(tmp_path)]) == 0
    assert (tmp_path / "repos.csv").read_text().splitlines()[0] == \
        "repo_full_name,path_prefix,service_id"
    assert main(["nope.yaml", str(tmp_path)]) == 1

"""The scale generator: names of the scaled org, row counts, and raw tables with exactly the
columns and types the dlt sources land (compared with the template landed over HTTP)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.simulator.scenario import ScenarioError
from harness.scale import (
    DAY_PARTS,
    DAYS_HELD_OUT,
    Tiler,
    load_arrow,
    plan_scale,
    scaled_seed_tables,
)

RAW = "('raw_github', 'raw_ci', 'raw_incidents', 'raw_revenue', 'raw_signals')"


def raw_columns(path: Path) -> dict[str, dict[str, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name, column_name, data_type "
            f"from information_schema.columns where table_schema in {RAW} "
            "and table_name not like '\\_dlt%' escape '\\' order by ordinal_position").fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        out.setdefault(table, {})[column] = data_type
    return out


def raw_counts(path: Path, tables: list[str]) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def test_plan_names_the_scaled_org(tiny_base) -> None:
    plan, _world, _base = tiny_base
    assert plan.copies == 2
    assert [t.id for t in plan.target.teams] == ["payments", "platform", "growth", "identity"]
    assert plan.base.days == plan.target.days + DAYS_HELD_OUT
    assert plan.base.customers == 12 and plan.target.customers == 24
    assert plan.service_map(1) == {"payments-api": "growth-api", "platform-api": "identity-api"}


def test_plan_rejects_a_team_count_that_does_not_tile(tiny_scenario: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(tiny_scenario.read_text().replace("teams: 4,", "teams: 5,"))
    with pytest.raises(ScenarioError, match="multiple of the template's 2 teams"):
        plan_scale(bad)


def test_history_multiplies_the_days_and_ends_on_the_same_day(tiny_scenario: Path) -> None:
    one = plan_scale(tiny_scenario)
    four = plan_scale(tiny_scenario, history=4)
    assert four.target.days == 4 * one.target.days
    assert four.base.days == four.target.days + DAYS_HELD_OUT
    assert four.cutoff == one.cutoff  # the held-out days are the same days
    assert (one.target.start - four.target.start).days == 3 * one.target.days
    assert len(four.target.teams) == len(one.target.teams)
    assert [f.start for f in four.target.faults] == [f.start for f in one.target.faults]
    with pytest.raises(ScenarioError, match="history must be at least 1"):
        plan_scale(tiny_scenario, history=0)


def test_tiled_tables_match_the_dlt_sources(tiny_base, tmp_path: Path) -> None:
    plan, _world, base = tiny_base
    tiler = Tiler(plan, base)
    scaled = tmp_path / "scaled.duckdb"
    history_rows, _ = load_arrow(tiler, scaled, part="history")
    assert history_rows == tiler.rows("history")
    assert DAY_PARTS == ("day1", "day2")
    with duckdb.connect(str(scaled), read_only=True) as con:
        landed_before = con.execute("select max(ts), max(ts) < ? from raw_signals.samples",
                                    [plan.cutoff]).fetchone()
    assert landed_before[1]  # the last two days of signals and CI are held out ...
    for k, part in enumerate(DAY_PARTS):
        assert tiler.rows(part) > 0
        day_rows, _ = load_arrow(tiler, scaled, part=part)
        assert day_rows == tiler.rows(part)
        # ... and each part is its own day, landed as its own load
        day = plan.cutoff + timedelta(days=k)
        with duckdb.connect(str(scaled), read_only=True) as con:
            first, last, loads = con.execute(
                "select min(ts), max(ts), count(distinct _dlt_load_id) from raw_signals.samples "
                "where ts >= ?", [day]).fetchone()
            runs = con.execute("select count(*) from raw_ci.workflow_runs where created_at >= ?",
                               [day]).fetchone()[0]
        assert first == day and loads == 1 and runs > 0
        if k < len(DAY_PARTS) - 1:
            assert last < day + timedelta(days=1)

    landed, tiled = raw_columns(base), raw_columns(scaled)
    assert set(tiled) == set(landed)
    for table, columns in landed.items():
        assert tiled[table] == columns, table  # same names and types, not only a subset

    counts_base = raw_counts(base, sorted(landed))
    counts_scaled = raw_counts(scaled, sorted(landed))
    assert counts_scaled == {t: n * plan.copies for t, n in counts_base.items()}
    assert counts_scaled["raw_signals.samples"] > 0

    with duckdb.connect(str(scaled), read_only=True) as con:
        def one(sql: str) -> object:
            return con.execute(sql).fetchone()[0]

        for table, key in (("raw_ci.workflow_runs", "id"), ("raw_ci.workflow_jobs", "id"),
                           ("raw_github.pull_requests", "id"), ("raw_revenue.customers", "id"),
                           ("raw_incidents.incidents", "id"), ("raw_signals.samples", "_dlt_id")):
            assert one(f"select count(distinct {key}) = count(*) from {table}"), table
        # links survive the copy: jobs -> runs, lines -> invoices, subscriptions -> customers
        assert one("select count(*) from raw_ci.workflow_jobs j anti join raw_ci.workflow_runs r"
                   " on j.run_id = r.id") == 0
        assert one("select count(*) from raw_revenue.invoices__lines__data l anti join "
                   "raw_revenue.invoices i on l._dlt_parent_id = i._dlt_id") == 0
        assert one("select count(*) from raw_revenue.subscriptions s anti join "
                   "raw_revenue.customers c on s.customer = c.id") == 0
        # service series keep the absent `customer` label ('') in every copy
        assert one("select count(*) from raw_signals.samples where metric <> 'feature_usage'"
                   " and customer <> ''") == 0
        services = {r[0] for r in con.execute(
            "select distinct service from raw_signals.samples").fetchall()}
        repos = {r[0] for r in con.execute(
            "select distinct repo_full_name from raw_ci.workflow_runs").fetchall()}
        loads = one("select count(*) from raw_signals.samples s anti join raw_signals._dlt_loads"
                    " l on s._dlt_load_id = l.load_id")
    assert services == set(plan.target.services)
    assert repos == {f"acme/{s}" for s in plan.target.services}
    assert loads == 0


def test_scaled_seeds_cover_every_team_and_service(tiny_base) -> None:
    plan, world, _base = tiny_base
    seeds = scaled_seed_tables(plan, world)
    assert [r[0] for r in seeds["teams.csv"][1:]] == sorted(t.id for t in plan.target.teams)
    services = {r[0]: r[1] for r in seeds["services.csv"][1:]}
    assert services == plan.target.service_team()
    pagerduty = [r[3] for r in seeds["services.csv"][1:]]
    assert len(set(pagerduty)) == len(pagerduty)
    enterprise = {r[1] for r in seeds["plan_services.csv"][1:] if r[0] == "enterprise"}
    assert enterprise == set(plan.target.services)


def test_copies_keep_feature_usage_linked_to_their_customers(tiny_base) -> None:
    """A feature_usage series names a Stripe customer: its copy must name that customer's copy
    (the 14-day template has no released feature, so the series is made up here)."""
    import pyarrow as pa

    plan, _world, base = tiny_base
    tiler = Tiler(plan, base)
    customer = tiler.parts["history"][("raw_revenue", "customers")]["id"][0].as_py()
    samples = pa.table({
        "metric": ["feature_usage", "cpu"],
        "series": [f"customer={customer},feature=acme/payments-api#7", "service=payments-api"],
        "customer": [customer, ""],
        "feature": ["acme/payments-api#7", ""],
        "service": ["", "payments-api"],
        "_dlt_id": ["a", "b"],
    })
    tiler.parts["history"][("raw_signals", "samples")] = samples
    tiler.named[("raw_signals", "samples")] = tiler._named_columns(samples)
    copied = tiler.copy("raw_signals", "samples", "history", 1).to_pylist()
    stripe = tiler.copy("raw_revenue", "customers", "history", 1)["id"][0].as_py()
    assert copied[0]["customer"] == stripe != customer
    assert copied[0]["series"] == f"customer={stripe},feature=acme/growth-api#7"
    assert copied[0]["feature"] == "acme/growth-api#7"
    assert copied[1]["customer"] == "" and copied[1]["service"] == "growth-api"

"""Ownership and target seeds for dbt (teams, services, repos, plans, SLOs) from a World."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from breadcrumbs.simulator.world import World


def seed_tables(world: World) -> dict[str, list[list[str]]]:
    """File name -> rows (header first, then rows sorted) of every seed."""
    def fmt(value: float) -> str:
        return f"{value:g}"

    tables = {
        "teams.csv": [["team_id", "engineers", "monthly_cost_usd"]] + sorted(
            [t.id, str(t.engineers), str(t.monthly_cost_usd)] for t in world.teams),
        "services.csv": [["service_id", "team_id", "repo_full_name", "pagerduty_service_id"]]
        + sorted([s.id, s.team_id, s.repo_full_name, s.pagerduty_service_id]
                 for s in world.services),
        "repos.csv": [["repo_full_name", "path_prefix", "service_id"]] + sorted(
            [s.repo_full_name, "", s.id] for s in world.services),
        "plans.csv": [["plan_id", "price_cents", "currency", "sla_availability"]] + sorted(
            [p.id, str(p.price_cents), "usd", "" if p.sla is None else fmt(p.sla)]
            for p in world.plans),
        "plan_services.csv": [["plan_id", "service_id"]] + sorted(
            [p.id, s] for p in world.plans for s in p.services),
        "slo_targets.csv": [["service_id", "slo", "target", "threshold_ms"]] + sorted(
            row for s in world.services for row in (
                [s.id, "availability", fmt(s.slo_availability), ""],
                [s.id, "latency", "0.99", fmt(s.slo_latency_p95_ms)])),
    }
    return tables


def render_csv(rows: list[list[str]]) -> str:
    """CSV text with `\\n` line endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def write_seeds(world: World, directory: str | Path) -> list[Path]:
    """Write the seed CSVs into `directory` (created if missing); returns the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in seed_tables(world).items():
        path = directory / name
        path.write_bytes(render_csv(rows).encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """`python -m breadcrumbs.simulator.seeds SCENARIO OUT_DIR`."""
    from breadcrumbs.simulator.generate import generate
    from breadcrumbs.simulator.scenario import ScenarioError, load_scenario

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m breadcrumbs.simulator.seeds SCENARIO.yaml OUT_DIR",
              file=sys.stderr)
        return 2
    try:
        world = generate(load_scenario(args[0]))
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in write_seeds(world, args[1]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

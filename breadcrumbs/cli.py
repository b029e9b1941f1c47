"""The `breadcrumbs` command: one verb per job (docs/cli.md)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from breadcrumbs.project import resolve_paths

DEFAULT_SCENARIO = "scenarios/default.yaml"


def _scenario_path(value: str | None, root: Path) -> Path:
    path = Path(value or DEFAULT_SCENARIO)
    return path if path.is_absolute() or path.exists() else root / path


def cmd_demo(args: argparse.Namespace) -> int:
    from breadcrumbs.demo import run_demo

    paths = resolve_paths(args.warehouse)
    result = run_demo(paths, _scenario_path(args.scenario, paths.root), docs=not args.no_docs,
                      fresh=args.fresh)
    print("\nRaw rows landed:")
    for table, rows in sorted(result.raw_rows.items()):
        print(f"    {table:<45} {rows:>9,}")
    print("\nWhere to look:")
    print(f"    published   {paths.published}   (analysts and BI tools: query this one)")
    print(f"                .venv/bin/duckdb -readonly {paths.published}")
    if result.docs:
        print(f"    docs        {result.docs}   (open in a browser; works offline)")
    print("    why         .venv/bin/breadcrumbs why revenue_at_risk   (any metric id)")
    print(f"    warehouse   {paths.warehouse}   (the working file the builds write; "
          "not for queries)")
    print(f"    seeds       {paths.seeds_dir}")
    print("Stage timings (s): " + ", ".join(f"{k} {v}" for k, v in result.timings.items()))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from breadcrumbs.ingest import simulator_env
    from breadcrumbs.simulator.generate import generate
    from breadcrumbs.simulator.scenario import load_scenario
    from breadcrumbs.simulator.server import serve

    root = resolve_paths().root
    world = generate(load_scenario(_scenario_path(args.scenario, root)))
    if not args.serve:
        for table, rows in world.raw_counts().items():
            print(f"{table:<45} {rows:>9,}")
        return 0
    with serve(world, port=args.port) as server:
        print("Serving the simulated organisation on 127.0.0.1 (Ctrl-C to stop).")
        print("Point the pipelines at it with:")
        for key, value in sorted(simulator_env(server, world).items()):
            print(f"    export {key}='{value}'")
        try:
            server.wait()
        except KeyboardInterrupt:
            print("stopped")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from breadcrumbs.ingest import ingest

    paths = resolve_paths(args.warehouse)
    rows = ingest(paths.warehouse, sources=args.source or None, progress=print)
    for table, count in sorted(rows.items()):
        print(f"    {table:<45} {count:>9,}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from breadcrumbs.publish import publish

    paths = resolve_paths(args.warehouse)
    counts = publish(paths.warehouse, paths.published)
    print(f"published {len(counts)} tables to {paths.published}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from breadcrumbs.run import NoWarehouse, RunLocked, run

    paths = resolve_paths(args.warehouse, published=args.published)
    try:
        result = run(paths, sources=args.source or None, full_refresh=args.full_refresh,
                     echo_dbt=sys.stdout.isatty(), init=args.init)
    except RunLocked as locked:
        print(f"breadcrumbs run: {locked}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: a scheduler may simply try again next time
    except NoWarehouse as missing:
        print(f"breadcrumbs run: {missing}", file=sys.stderr)
        return 2
    loaded = sum(result.raw_rows.values())
    kind = "full backfill" if result.backfilled else "incremental"
    print(f"\n{kind}: loaded {loaded:,} new or changed raw rows; published "
          f"{len(result.published)} "
          f"tables to {paths.published}; source freshness: {result.freshness}")
    print("Stage timings (s): " + ", ".join(f"{k} {v}" for k, v in result.timings.items()))
    return 0


def cmd_why(args: argparse.Namespace) -> int:
    import json

    from breadcrumbs.why import explain
    from breadcrumbs.why.render import render

    paths = resolve_paths(args.warehouse)
    explanation = explain(paths.warehouse, args.metric_id, entity=args.entity, period=args.period)
    if args.json:
        print(json.dumps(explanation.as_json(), default=str))
    else:
        render(explanation, verbose=args.verbose)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from breadcrumbs.report import write_report

    paths = resolve_paths(args.warehouse)
    out = write_report(paths.warehouse, Path(args.out) if args.out else None)
    print(f"report written to {out}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from breadcrumbs.review import review, to_markdown

    paths = resolve_paths(args.warehouse)
    text = to_markdown(review(paths.warehouse, team=args.team, week=args.week))
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"brief written to {out}", file=sys.stderr)
    print(text, end="")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from breadcrumbs.doctor import doctor

    resolve_paths()  # from the project folder, where .dlt/ holds the settings
    checks = doctor(args.source or None)
    for check in checks:
        print(check.line())
    if not any(check.status != "skip" for check in checks):
        print("no source is configured: put tokens in .dlt/secrets.toml or the environment "
              "(see docs/real-accounts.md)", file=sys.stderr)
        return 1
    failed = [check.source for check in checks if check.failed]
    if failed:
        print(f"{len(failed)} source(s) need a fix: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def cmd_ownership(args: argparse.Namespace) -> int:
    from breadcrumbs.ownership import write_ownership

    root = resolve_paths().root
    out = Path(args.out) if args.out else root / os.environ.get("BREADCRUMBS_SEEDS", "seeds")
    out = out if out.is_absolute() else root / out
    catalog = [value if value.startswith(("http://", "https://")) else
               str(Path(value.removeprefix("file:")).resolve()) for value in args.catalog or []]
    result = write_ownership(root, out, catalog or None, force=args.force)
    print(f"ownership from the {result.origin}:")
    for name, action in result.actions:
        rows = f"({result.rows[name]} rows)" if name in result.rows else "(not from this source)"
        print(f"    {action:<9} {out / name}  {rows}")
    if result.notes:
        print("to check or fill in:")
        for note in result.notes:
            print(f"    - {note}")
    print("then: dbt seed (or breadcrumbs run) to load them")
    return 0


def cmd_mf(args: argparse.Namespace) -> int:
    from breadcrumbs.mf import run_mf

    paths = resolve_paths(args.warehouse)
    seeds = paths.seeds_dir if paths.seeds_dir.is_dir() else None
    mf_args = args.mf_args[1:] if args.mf_args[:1] == ["--"] else args.mf_args
    return run_mf(paths, mf_args or ["--help"], seeds_dir=seeds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breadcrumbs",
        description="Keep the trail from raw system signals and engineering work to business "
        "outcomes.",
    )
    parser.add_argument("--verbose", action="store_true", help="show stack traces on errors")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    demo = verbs.add_parser("demo", help="simulate → ingest over HTTP → dbt build → docs → publish")
    demo.add_argument("--scenario", help=f"scenario YAML (default {DEFAULT_SCENARIO})")
    demo.add_argument("--warehouse", help="DuckDB file (default $BREADCRUMBS_WAREHOUSE or "
                      "warehouse/breadcrumbs.duckdb)")
    demo.add_argument("--no-docs", action="store_true", help="skip dbt docs generate")
    demo.add_argument("--fresh", action="store_true",
                      help="start from scratch even when the scenario, code and models are "
                      "unchanged since the last demo (by default unchanged stages are reused)")
    demo.set_defaults(func=cmd_demo)

    simulate = verbs.add_parser("simulate", help="generate a scenario; --serve its APIs")
    simulate.add_argument("--scenario", help=f"scenario YAML (default {DEFAULT_SCENARIO})")
    simulate.add_argument("--serve", action="store_true", help="serve the APIs until stopped")
    simulate.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    simulate.set_defaults(func=cmd_simulate)

    ingest = verbs.add_parser("ingest", help="run the dlt pipelines against configured endpoints")
    ingest.add_argument("--source", action="append",
                        choices=["github", "ci", "incidents", "revenue", "signals",
                                 "cloud_cost"],
                        help="only this source (repeatable)")
    ingest.add_argument("--warehouse", help="DuckDB file")
    ingest.set_defaults(func=cmd_ingest)

    pub = verbs.add_parser("publish", help="write the BI snapshot (copy + atomic rename)")
    pub.add_argument("--warehouse", help="DuckDB file")
    pub.set_defaults(func=cmd_publish)

    run = verbs.add_parser("run", help="scheduled job: incremental ingest → dbt build → "
                           "freshness → publish (one at a time)")
    run.add_argument("--source", action="append",
                     choices=["github", "ci", "incidents", "revenue", "signals", "cloud_cost"],
                     help="only ingest this source (repeatable)")
    run.add_argument("--full-refresh", action="store_true",
                     help="rebuild incremental models from scratch")
    run.add_argument("--warehouse", help="DuckDB file (default $BREADCRUMBS_WAREHOUSE or "
                     "warehouse/breadcrumbs.duckdb); must exist unless --init")
    run.add_argument("--published", help="the BI snapshot to refresh (default "
                     "$BREADCRUMBS_PUBLISHED, else beside --warehouse, else "
                     "warehouse/breadcrumbs_published.duckdb)")
    run.add_argument("--init", action="store_true",
                     help="create the warehouse if it does not exist (a full backfill)")
    run.set_defaults(func=cmd_run)

    why = verbs.add_parser("why", help="explain a metric's value: breadcrumbs to the root cause")
    why.add_argument("metric_id", metavar="METRIC_ID", help="a metric id (see metric_catalog)")
    why.add_argument("--entity", help="org (default), a team, service or plan id, or type:id")
    why.add_argument("--period", help="a date in the period to explain (YYYY-MM-DD; default "
                     "the latest complete period)")
    why.add_argument("--json", action="store_true",
                     help="print the JSON object (docs/why.md, docs/why.schema.json)")
    why.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                     help="also show the internal statistics (z, count z, co-movement, "
                     "surprise, raw shares), every evidence item, and stack traces on errors")
    why.add_argument("--warehouse", help="DuckDB file")
    why.set_defaults(func=cmd_why)

    report = verbs.add_parser("report", help="static HTML metric-tree health report")
    report.add_argument("--out", help="HTML file (default build/report/index.html)")
    report.add_argument("--warehouse", help="DuckDB file")
    report.set_defaults(func=cmd_report)

    rev = verbs.add_parser("review", help="weekly handoff brief of a team (Markdown)")
    rev.add_argument("--team", help="team id (default: the team with the most red metrics)")
    rev.add_argument("--week", help="a date in the week to review (YYYY-MM-DD; default the "
                     "latest complete week)")
    rev.add_argument("--out", help="also write the Markdown to this file")
    rev.add_argument("--warehouse", help="DuckDB file (the working or the published one)")
    rev.set_defaults(func=cmd_review)

    doc = verbs.add_parser("doctor", help="check each configured source with one request: "
                           "reachable, token, permissions, API version")
    doc.add_argument("--source", action="append",
                     choices=["github", "ci", "incidents", "revenue", "signals", "cloud_cost"],
                     help="only this source (repeatable)")
    doc.set_defaults(func=cmd_doctor)

    own = verbs.add_parser("ownership", help="write the ownership seeds from Backstage "
                           "catalog files, or a starter set from what the sources see")
    own.add_argument("--catalog", action="append", metavar="PATH_OR_URL",
                     help="a catalog-info.yaml file, a folder of them or a URL (repeatable; "
                     "default: ownership.catalog_locations in .dlt/config.toml)")
    own.add_argument("--out", help="seed folder (default $BREADCRUMBS_SEEDS or seeds/)")
    own.add_argument("--force", action="store_true",
                     help="replace seed files edited by hand (their values are carried over)")
    own.set_defaults(func=cmd_ownership)


    mf = verbs.add_parser(
        "mf", help="MetricFlow's mf for the warehouse (e.g. `breadcrumbs mf query --metrics "
        "mrr --group-by metric_time__month`)")
    mf.add_argument("--warehouse", help="DuckDB file (before the mf command)")
    mf.add_argument("mf_args", nargs=argparse.REMAINDER, metavar="MF_ARGS",
                    help="what to pass to mf: query, list metrics, …")
    mf.set_defaults(func=cmd_mf)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # one clear line, the stack only with --verbose
        if args.verbose:
            traceback.print_exc()
        print(f"breadcrumbs {args.verb}: {error}", file=sys.stderr)
        if not args.verbose:
            print("(run with --verbose for the stack trace)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

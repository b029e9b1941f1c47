"""`make test-spark`: the whole project on Spark (dbt-spark, session method, local pyspark) over
the Parquet lake dlt's filesystem destination writes, checked against DuckDB.

1. The DuckDB demo of the scenario starts in the background (the reference).
2. Simulate the scenario and load it through dlt's filesystem destination as Parquet
   (<lake>/<dataset>/<table>/<load>.parquet: the layout object storage would hold); load it
   a second time as it stood a day before its end (<workdir>/lake-day-before).
3. A day before: build the incremental models and what they need over that lake. Each build
   declares the landed tables as external Parquet tables of their source schemas first
   (register_lake_sources in on-run-start, `--vars lake_tables`), so `source()` is unchanged.
4. The day after: `dbt build --target spark` the whole project over the whole lake (seeds,
   models, data tests). The incremental models run incrementally: insert_overwrite of the
   partitions in their lookback window (macros/incremental_config.sql); checked in the SQL
   dbt ran.
5. Every table of the marts and metrics schemas (metric_values included) and the incremental
   models are compared with the DuckDB build (compare.py: exact, doubles within 1e-9
   relative): an incremental run on Spark must lose no row.

python -m harness.portability.spark [--scenario FILE] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from breadcrumbs.dbt import DbtError, run_dbt
from breadcrumbs.ingest import environment
from breadcrumbs.project import Paths
from harness.portability.compare import (
    COMPARED_SCHEMAS,
    LOAD_STAMPS,
    RUN_WRITTEN,
    compare_tables,
    fetch_duckdb,
    summary,
    verdict,
    without_columns,
)
from harness.portability.scenario import (
    Timer,
    run_paths,
    simulate_and_ingest,
    start_duckdb_reference,
)

# the incremental models (materialized incremental on every target) -> their schema
INCREMENTAL_MODELS = {"int_signals__service_hours": "intermediate",
                      "int_signals__hourly_anomaly_flags": "intermediate",
                      "int_delivery__ci_runs": "intermediate",
                      "int_delivery__ci_jobs": "intermediate",
                      "int_signals__feature_first_uses": "intermediate",
                      "fct_ci_runs": "marts", "fct_ci_jobs": "marts",
                      "fct_error_budget_burn_hourly": "marts",
                      "fct_service_signals_daily": "marts", "fct_slo_daily": "marts"}
# dbt unit tests are not run on dbt-spark: see README "Scaling out" (they run on DuckDB and
# PostgreSQL, and test the same SQL, which is engine-independent apart from dispatched macros)
EXCLUDE_RESOURCE_TYPES = ("unit_test",)


class SparkCheckError(RuntimeError):
    """A step of the check failed; the message says which."""


def landed_tables(lake: Path) -> list[str]:
    """`schema.table` of every table dlt wrote Parquet files for."""
    return sorted(f"{table.parent.name}.{table.name}" for table in lake.glob("raw_*/*")
                  if table.is_dir() and not table.name.startswith("_dlt")
                  and any(table.glob("*.parquet")))


def session_settings(root: Path) -> dict[str, str]:
    """The spark output's server_side_parameters of profiles.yml, env_var() rendered: the
    session the comparison opens must see dbt's metastore and warehouse."""
    profile = yaml.safe_load((root / "profiles.yml").read_text())
    params = profile["breadcrumbs"]["outputs"]["spark"]["server_side_parameters"]

    def render(value: Any) -> str:
        return re.sub(r"\{\{\s*env_var\('([^']+)',\s*'([^']*)'\)\s*\}\}",
                      lambda m: os.environ.get(m[1], m[2]), str(value))

    return {key: render(value) for key, value in params.items()}


def dump_tables(root: Path, out: Path, extra: tuple[str, ...] = ()) -> None:
    """In this process: open a local SparkSession on dbt's metastore and pickle
    {"tables": base tables of the compared schemas, "data": {(schema, table): (columns, rows)}}
    for them and the `extra` "schema.table" names into `out`."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("breadcrumbs-compare").enableHiveSupport()
    for key, value in session_settings(root).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    try:
        tables = {(schema, t.name) for schema in COMPARED_SCHEMAS
                  for t in session.catalog.listTables(schema)
                  if t.tableType != "VIEW" and not t.isTemporary}
        data = {}
        for schema, table in sorted(tables | {tuple(name.split(".")) for name in extra}):
            frame = session.table(f"`{schema}`.`{table}`")
            data[(schema, table)] = (list(frame.columns), [tuple(row) for row in frame.collect()])
        out.write_bytes(pickle.dumps({"tables": tables, "data": data}))
    finally:
        session.stop()


def read_spark(paths: Paths, out: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """dump_tables in a child process (the embedded Derby metastore admits one JVM at a time,
    and a stopped SparkSession keeps its JVM: dbt must be able to open it again after)."""
    proc = subprocess.run([sys.executable, "-m", "harness.portability.spark", "--dump",
                           str(out), *extra], cwd=paths.root, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SparkCheckError(f"reading the Spark tables failed:\n{proc.stderr[-3000:]}")
    return pickle.loads(out.read_bytes())


def lake_args(lake: Path) -> tuple[str, ...]:
    """--vars for a build over `lake`: its landed tables become the sources in the build's
    on-run-start (register_lake_sources), so no extra Spark session is started for it. The
    lake itself goes in BREADCRUMBS_LAKE (see `dbt`): the same --vars for both lakes spare
    dbt a full re-parse."""
    return "--vars", json.dumps({"lake_tables": landed_tables(lake)})


def incremental_statement(paths: Paths, name: str) -> str:
    """The statement dbt ran last for an incremental model (target/run/...)."""
    found = list((paths.target_dir / "run").rglob(f"{name}.sql"))
    if len(found) != 1:
        raise SparkCheckError(f"no single run statement of {name} under {paths.target_dir}")
    return found[0].read_text()


def dbt(paths: Paths, *args: str, lake: Path | None = None) -> str:
    """`dbt <args> --target spark` without unit tests, over `lake` when given."""
    excluded = [arg for kind in EXCLUDE_RESOURCE_TYPES
                for arg in ("--exclude-resource-type", kind)]
    with environment({"BREADCRUMBS_LAKE": str(lake)} if lake else {}):
        return run_dbt([*args, "--target", "spark", *excluded], paths,
                       seeds_dir=paths.seeds_dir)


def run(scenario: Path, workdir: Path, data_tests: bool = False) -> int:
    """The whole check; 0 when the build passes, the incremental run equals a full refresh
    and the marts and metrics equal DuckDB's."""
    import dlt

    os.environ["TZ"] = "UTC"  # pyspark turns timestamps into local datetimes
    time.tzset()
    lake, day_before, home = workdir / "lake", workdir / "lake-day-before", workdir / "home"
    for folder in (lake, day_before, home):
        shutil.rmtree(folder, ignore_errors=True)
    home.mkdir(parents=True)
    paths, duck_paths = run_paths(workdir, "spark"), run_paths(workdir, "duckdb")
    timings: dict[str, float] = {}
    timer = Timer(timings)
    started = time.perf_counter()
    reference = start_duckdb_reference(scenario, duck_paths, workdir / "duckdb-demo.log")
    incremental_select = " ".join(f"+{name}" for name in INCREMENTAL_MODELS)
    try:
        with environment({"BREADCRUMBS_SPARK_HOME": str(home)}):
            with timer.stage(f"ingest {scenario.name} through dlt's filesystem destination "
                             "(Parquet), and as of a day before its end"):
                simulate_and_ingest(scenario, run_paths(workdir, "spark-day-before"),
                                    dlt.destinations.filesystem(bucket_url=day_before.as_uri()),
                                    days_before_end=1)
                simulate_and_ingest(scenario, paths,
                                    dlt.destinations.filesystem(bucket_url=lake.as_uri()))
                print(f"    {len(landed_tables(lake))} tables under {lake}")
            with timer.stage("a day before: build the incremental models over that lake"):
                dbt(paths, "build", "--select", incremental_select, "--exclude-resource-type",
                    "test", *lake_args(day_before), lake=day_before)
            with timer.stage("the day after: dbt build --target spark over the whole lake"):
                build_error = None
                try:
                    tests = () if data_tests else ("--exclude-resource-type", "test")
                    output = dbt(paths, "build", *lake_args(lake), *tests, lake=lake)
                    print("\n".join(line for line in output.splitlines() if "Done." in line))
                except DbtError as exc:  # still compare what was built, then fail
                    build_error = str(exc)
                    print(build_error)
            # the day after, the incremental models replaced their recent partitions: their
            # rows are compared with DuckDB's full build below, like every mart
            not_incremental = [name for name in INCREMENTAL_MODELS if not re.search(
                r"insert\s+overwrite\s+table\s+\S+\s+partition\s*\(",
                incremental_statement(paths, name), re.IGNORECASE)]
            with timer.stage("read the Spark tables"):
                models = tuple(f"{schema}.{name}" for name, schema in INCREMENTAL_MODELS.items())
                built = read_spark(paths, workdir / "spark-tables.pickle", models)
            with timer.stage("DuckDB reference build (ran alongside)"):
                if reference.wait() != 0:
                    log = (workdir / "duckdb-demo.log").read_text()[-3000:]
                    raise SparkCheckError(f"the DuckDB reference build failed:\n{log}")
            with timer.stage("compare with DuckDB"):
                duck_fetch, duck_tables, duck_conn = fetch_duckdb(duck_paths.warehouse)
                # the run's step does not run on Spark (`why` reads DuckDB and PostgreSQL)
                # the metric models are tables on Spark and views on DuckDB: compared, DuckDB
                # computing the view (dbt_project.yml)
                on_spark = built["tables"] - RUN_WRITTEN
                on_duck = (duck_tables() | (duck_tables(views=True) & on_spark)) - RUN_WRITTEN
                print(f"    not compared: {', '.join('.'.join(t) for t in sorted(RUN_WRITTEN))}"
                      " (written by the run's step, which reads DuckDB and PostgreSQL)")
                spark_fetch = built["data"].__getitem__
                diffs = compare_tables(sorted(on_spark & on_duck), duck_fetch,
                                       lambda schema, table: spark_fetch((schema, table)))
                # the intermediate models built by change carry each engine's own load stamps
                incremental = compare_tables(
                    [tuple(m.split(".")) for m in models],
                    without_columns(duck_fetch, LOAD_STAMPS),
                    without_columns(lambda schema, table: spark_fetch((schema, table)),
                                    LOAD_STAMPS))
                duck_conn.close()
    finally:
        if reference.poll() is None:
            reference.terminate()
            reference.wait()
    passed, report = verdict("spark", diffs, on_duck, on_spark)
    print(report)
    print("Timings (s): " + ", ".join(f"{k} {v}" for k, v in timings.items())
          + f"; total {time.perf_counter() - started:.1f}")
    lost = [d for d in incremental if not d.ok]
    print("Incremental models after a run a day later (insert_overwrite of partitions) vs "
          "DuckDB's full build:")
    print(summary(incremental))
    if build_error:
        print("FAIL: dbt build failed on Spark (above)")
    if not_incremental:
        print("FAIL: not run as insert_overwrite of partitions: " + ", ".join(not_incremental))
    if lost:
        print("FAIL: an incremental run on Spark lost or changed rows: "
              + ", ".join(d.table for d in lost))
    if build_error or not_incremental or lost or not passed:
        return 1
    print("OK: the incremental runs equal a full build ("
          + ", ".join(f"{d.table} {d.rows[1]} rows" for d in incremental) + ")")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.portability.spark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/small.yaml")
    parser.add_argument("--workdir", default="/tmp/spark",
                        help="lakes, metastore, warehouse and the DuckDB reference")
    parser.add_argument("--data-tests", action="store_true",
                        help="also run the data tests on Spark (about 500 more nodes)")
    parser.add_argument("--dump", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:  # the child process of read_spark
        dump_tables(Path.cwd(), Path(args.dump), tuple(args.extra))
        return 0
    try:
        return run(Path(args.scenario).resolve(), Path(args.workdir).resolve(),
                   args.data_tests)
    except (SparkCheckError, DbtError) as exc:
        print(f"test-spark: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

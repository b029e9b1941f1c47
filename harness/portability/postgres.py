"""`make test-postgres`: the whole project on a real PostgreSQL server, checked against DuckDB.

1. initdb a throwaway cluster in a temp folder (trust auth, 127.0.0.1 on a free port, UTC),
   start it with pg_ctl; as root, the server runs as the `postgres` (or `nobody`) user.
2. Simulate the scenario and load it through dlt's postgres destination.
3. `dbt build --target postgres` (seeds, models, contracts, data and unit tests).
4. Meanwhile the DuckDB demo of the same scenario builds the reference.
5. Compare metric_values and every mart and metric table (compare.py states the tolerance).
6. Stop the server, on failure too.

python -m harness.portability.postgres [--scenario FILE] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from breadcrumbs.dbt import DbtError
from breadcrumbs.ingest import environment
from breadcrumbs.why.verdicts import refresh as refresh_verdicts
from harness.portability.compare import (
    COMPARED_SCHEMAS,
    compare_extra_relations,
    compare_tables,
    fetch_duckdb,
    verdict,
)
from harness.portability.scenario import (
    Timer,
    dbt_build,
    run_paths,
    simulate_and_ingest,
    start_duckdb_reference,
)

USER = "breadcrumbs"
DBNAME = "breadcrumbs"
SERVER_SETTINGS = {  # a disposable test server: durability off, UTC
    "listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off",
    "full_page_writes": "off", "timezone": "UTC", "max_connections": "50",
}


class PostgresError(RuntimeError):
    """The throwaway server could not be set up; the message says what to install or check."""


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH, then /usr/lib/postgresql/<newest>/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running throwaway cluster."""

    port: int
    data_dir: Path

    @property
    def env(self) -> dict[str, str]:
        """The profile's BREADCRUMBS_PG_* variables for this server."""
        return {"BREADCRUMBS_PG_HOST": "127.0.0.1", "BREADCRUMBS_PG_PORT": str(self.port),
                "BREADCRUMBS_PG_USER": USER, "BREADCRUMBS_PG_DBNAME": DBNAME,
                "BREADCRUMBS_PG_SSLMODE": "disable", "PGTZ": "UTC"}

    @property
    def url(self) -> str:
        """Credentials for dlt's postgres destination (dlt requires a password; trust auth
        ignores it)."""
        return f"postgresql://{USER}:trust@127.0.0.1:{self.port}/{DBNAME}?sslmode=disable"


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as `postgres` (or `nobody`) then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", _server_user(), "--", *command]


def _server_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresError("running as root and no `postgres` or `nobody` user to run the server")


@contextmanager
def throwaway_cluster(workdir: Path, bin_dir: Path) -> Iterator[Server]:
    """initdb + pg_ctl start in `workdir`; always pg_ctl stop (immediate) on the way out."""
    cluster = workdir / "cluster"
    shutil.rmtree(cluster, ignore_errors=True)
    cluster.mkdir(parents=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam(_server_user())
        os.chown(cluster, user.pw_uid, user.pw_gid)
    data_dir, log = cluster / "data", cluster / "server.log"
    _run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data_dir), "-U", USER,
                          "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]),
         "initdb")
    started = False
    try:
        for _attempt in range(3):  # a free port can be taken between probe and bind
            port = free_port()
            options = " ".join(f"-c {k}={v}" for k, v in {
                **SERVER_SETTINGS, "port": port, "unix_socket_directories": cluster}.items())
            proc = subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log),
                                 "-o", options, "-w", "-t", "60", "start"]),
                capture_output=True, text=True, check=False)
            if proc.returncode == 0:
                started = True
                break
        if not started:
            tail = log.read_text()[-2000:] if log.exists() else proc.stderr
            raise PostgresError(f"pg_ctl start failed:\n{tail}")
        _run([sys.executable, "-c", _CREATE_DB, str(port)], "create database")
        yield Server(port, data_dir)
    finally:
        if started or (data_dir / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir),
                                            "-m", "immediate", "-w", "stop"]),
                           capture_output=True, check=False)


_CREATE_DB = f"""
import sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="{USER}",
                        dbname="postgres", sslmode="disable")
conn.autocommit = True
conn.cursor().execute("create database {DBNAME}")
"""


def _run(command: list[str], what: str) -> None:
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PostgresError(f"{what} failed (exit {proc.returncode}): "
                            f"{(proc.stderr or proc.stdout)[-2000:]}")


def fetch_postgres(server: Server):
    """(schema, table) -> (columns, rows) from the server."""
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=server.port, user=USER, dbname=DBNAME,
                            sslmode="disable", options="-c timezone=UTC")

    def fetch(schema: str, table: str) -> tuple[list[str], list[tuple]]:
        with conn.cursor() as cur:
            cur.execute(f'select * from "{schema}"."{table}"')
            return [d[0] for d in cur.description], cur.fetchall()

    def tables() -> set[tuple[str, str]]:
        with conn.cursor() as cur:
            cur.execute("select table_schema, table_name from information_schema.tables "
                        "where table_schema = any(%s) and table_type = 'BASE TABLE'",
                        (list(COMPARED_SCHEMAS),))
            return set(cur.fetchall())

    return fetch, tables, conn


def run(scenario: Path, workdir: Path, keep: bool = False) -> int:
    """The whole check; 0 when PostgreSQL matches DuckDB."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise PostgresError("no pg_ctl/initdb on PATH or in /usr/lib/postgresql/*/bin: install "
                            "the PostgreSQL server (Debian: apt-get install postgresql)")
    workdir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    timer = Timer(timings)
    pg_paths, duck_paths = run_paths(workdir, "postgres"), run_paths(workdir, "duckdb")
    started = time.perf_counter()
    reference = start_duckdb_reference(scenario, duck_paths, workdir / "duckdb-demo.log")
    try:
        with throwaway_cluster(workdir, bin_dir) as server:
            version = subprocess.run([str(bin_dir / "postgres"), "--version"],
                                     capture_output=True, text=True, check=False).stdout.strip()
            print(f"    {version} on 127.0.0.1:{server.port} "
                  f"(data {server.data_dir})")
            import dlt

            with timer.stage(f"ingest {scenario.name} through dlt's postgres destination"):
                rows = simulate_and_ingest(scenario, pg_paths,
                                           dlt.destinations.postgres(server.url))
                print(f"    {len(rows)} raw tables")
            build_error = None
            with timer.stage("dbt build --target postgres"):
                try:
                    dbt_build(pg_paths, "postgres", server.env)
                except DbtError as exc:  # still compare what was built, then fail
                    build_error = str(exc)
                    print(build_error)
            with timer.stage("the walk's step on PostgreSQL (why_step_verdicts)"):
                # as `breadcrumbs run` does after its build (the DuckDB demo does it too)
                with environment(server.env):
                    refreshed = refresh_verdicts(pg_paths.warehouse, "postgres")
                print(f"    {refreshed.verdicts} verdicts, {refreshed.unexplained} with nothing "
                      "to follow")
            with timer.stage("DuckDB reference build (ran alongside)"):
                if reference.wait() != 0:
                    log = (workdir / "duckdb-demo.log").read_text()[-3000:]
                    raise PostgresError(f"the DuckDB reference build failed:\n{log}")
            with timer.stage("compare with DuckDB"):
                pg_fetch, pg_tables, pg_conn = fetch_postgres(server)
                duck_fetch, duck_tables, duck_conn = fetch_duckdb(duck_paths.warehouse,
                                                                  COMPARED_SCHEMAS)
                on_pg, on_duck = pg_tables(), duck_tables()
                diffs = compare_tables(sorted(on_pg & on_duck), duck_fetch, pg_fetch)
                diffs += compare_extra_relations(duck_fetch, pg_fetch)
                pg_conn.close()
                duck_conn.close()
            if keep:
                input(f"server kept on port {server.port}; press Enter to stop it ")
    finally:
        if reference.poll() is None:
            reference.terminate()
            reference.wait()
    passed, report = verdict("postgres", diffs, on_duck, on_pg)
    print(report)
    print("Timings (s): " + ", ".join(f"{k} {v}" for k, v in timings.items())
          + f"; total {time.perf_counter() - started:.1f}")
    if build_error or not passed:
        if build_error:
            print("FAIL: dbt build failed on PostgreSQL (above)")
        return 1
    if not keep:
        shutil.rmtree(workdir / "cluster", ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.portability.postgres",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/small.yaml")
    parser.add_argument("--workdir", default="/tmp/pg",
                        help="scratch folder for the cluster and the DuckDB reference")
    parser.add_argument("--keep", action="store_true", help="keep the server until Enter")
    args = parser.parse_args(argv)
    try:
        return run(Path(args.scenario).resolve(), Path(args.workdir).resolve(), args.keep)
    except PostgresError as exc:
        print(f"test-postgres: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

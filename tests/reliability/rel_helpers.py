"""Helpers for the reliability tests: content hashes, CLI subprocesses, bounded polls, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from tests.paths import ROOT

BIN = Path(sys.executable).parent
SCENARIO = ROOT / "scenarios" / "small.yaml"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_hashes(database: Path, schemas: tuple[str, ...],
                 ignore: Callable[[str], bool] = lambda _column: False,
                 exact: bool = True) -> dict[str, str]:
    """`schema.table` → "rows:md5" of `select <columns> order by all`, columns that `ignore`
    accepts left out (dlt load ids, row keys and load timestamps). Unless `exact`, doubles are
    rounded to 9 decimals and zeros lose their sign, for comparisons that are about content,
    not bytes; test_marts_are_byte_identical compares `exact` hashes.
    """
    hashes: dict[str, str] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by 1, 2", [list(schemas)]).fetchall()
        for schema, table in relations:
            columns = [(c, t) for (c, t) in con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = ? "
                "and table_name = ? order by column_index", [schema, table]).fetchall()
                if not ignore(c)]
            if not columns:
                continue
            listed = ", ".join(
                _quote(c) if exact or t not in ("DOUBLE", "FLOAT")
                else f"round({_quote(c)}, 9) + 0.0" for c, t in columns)
            rows, digest = con.execute(
                f"select count(*), md5(coalesce(string_agg(r, chr(10) order by r), '')) from "
                f"(select cast(row({listed}) as varchar) as r "
                f"from {_quote(schema)}.{_quote(table)})").fetchone()
            hashes[f"{schema}.{table}"] = f"{rows}:{digest}"
    return hashes


def is_dlt_column(column: str) -> bool:
    """dlt's own per-load columns (load id, random row keys, parent links)."""
    return column.startswith("_dlt")


def raw_hashes(database: Path) -> dict[str, str]:
    """Content of every raw table (dlt's tables and load columns left out)."""
    with duckdb.connect(str(database), read_only=True) as con:
        schemas = tuple(s for (s,) in con.execute(
            "select distinct schema_name from duckdb_tables() where schema_name like 'raw_%' "
            "and schema_name not like '%_staging'").fetchall())
    return {name: digest for name, digest in table_hashes(database, schemas, is_dlt_column)
            .items() if not name.split(".", 1)[1].startswith("_dlt")}


def mart_hashes(database: Path, exact: bool = False) -> dict[str, str]:
    """Content of every table in marts and metrics (`loaded_at` load timestamps left out)."""
    return table_hashes(database, ("marts", "metrics", "seeds"),
                        lambda column: column == "loaded_at" or column.startswith("_dlt"), exact)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a `breadcrumbs` subprocess: unbuffered, no telemetry."""
    env = dict(os.environ)
    env.update(PYTHONUNBUFFERED="1", RUNTIME__DLTHUB_TELEMETRY="false",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    env.pop("BREADCRUMBS_WAREHOUSE", None)
    env.pop("BREADCRUMBS_PUBLISHED", None)
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str] | None = None,
          executable: str = "breadcrumbs") -> subprocess.Popen[str]:
    """Start `breadcrumbs <args>` (or another venv executable) with stdout+stderr piped."""
    return subprocess.Popen([str(BIN / executable), *args], cwd=ROOT, env=env or cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            bufsize=1)


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 600,
        executable: str = "breadcrumbs") -> subprocess.CompletedProcess[str]:
    """Run `breadcrumbs <args>` to the end; output in stdout and stderr."""
    return subprocess.run([str(BIN / executable), *args], cwd=ROOT, env=env or cli_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             interval: float = 0.05) -> None:
    """Poll `condition` until true; fail the test naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def wait_while_running(proc: subprocess.Popen[str], condition: Callable[[], bool],
                       timeout: float, what: str) -> None:
    """Poll `condition` while `proc` runs; fail with its output if it exits first."""
    def done() -> bool:
        return condition() or proc.poll() is not None
    wait_for(done, timeout, what)
    if not condition():
        rest = proc.stdout.read() if proc.stdout is not None else ""
        raise AssertionError(f"the process exited ({proc.returncode}) before {what}:\n"
                             f"{rest[-3000:]}")


def read_until(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """Read the process's output line by line until a line contains `marker`."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"{marker!r} never appeared; output was:\n{''.join(seen)[-3000:]}")


def children(pid: int) -> list[int]:
    """Direct child pids of a process (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def kill9(proc: subprocess.Popen[str]) -> list[int]:
    """`kill -9` the process (only it, like a crash or the OOM killer); reap it and return
    the pids of the children it had."""
    orphans = children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    if proc.stdout is not None:
        proc.stdout.close()
    return orphans


def files_newer_than(folder: Path, since: float, suffix: str = ".sql") -> int:
    """How many files under `folder` were written after `since` (epoch seconds)."""
    if not folder.exists():
        return 0
    count = 0
    for path in folder.rglob(f"*{suffix}"):
        try:
            if path.stat().st_mtime >= since:
                count += 1
        except OSError:
            continue
    return count

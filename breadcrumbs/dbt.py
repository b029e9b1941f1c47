"""Run dbt for this project as a subprocess, with the warehouse and seeds from `Paths`."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from breadcrumbs.project import Paths


class DbtError(RuntimeError):
    """dbt exited non-zero; the message carries the failing lines and the log path."""


def dbt_env(paths: Paths, seeds_dir: Path | None = None) -> dict[str, str]:
    """Environment for dbt: warehouse, seeds, no telemetry."""
    env = dict(os.environ)
    env["BREADCRUMBS_WAREHOUSE"] = str(paths.warehouse)
    env["BREADCRUMBS_PUBLISHED"] = str(paths.published)
    if seeds_dir is not None:
        # relative to the project root: an absolute seed path makes dbt write compiled SQL
        # over the CSVs (target/run/<project>/<seed path>)
        env["BREADCRUMBS_SEEDS"] = os.path.relpath(seeds_dir, paths.root)
    env["DBT_TARGET_PATH"] = str(paths.target_dir)
    env["DBT_LOG_PATH"] = str(paths.root / "logs" if paths.is_default
                              else paths.target_dir / "logs")
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DO_NOT_TRACK"] = "1"
    env.setdefault("DBT_PROFILES_DIR", str(paths.root))
    return env


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's .venv)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that kills the child when its parent dies (Linux `PR_SET_PDEATHSIG`):
    a `kill -9` of `breadcrumbs` must not leave dbt writing to the warehouse behind it."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def hook() -> None:
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def run_dbt(
    args: Sequence[str], paths: Paths, seeds_dir: Path | None = None, echo: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> str:
    """Run `dbt <args>` in the project root; return its output or raise DbtError."""
    env = {**dbt_env(paths, seeds_dir), **(extra_env or {})}
    cmd = [dbt_executable(), *args, "--project-dir", str(paths.root)]
    proc = subprocess.run(
        cmd,
        cwd=paths.root,
        env=env,
        capture_output=not echo,
        text=True,
        check=False,
        preexec_fn=die_with_parent(),  # only prctl and getppid: safe after fork
    )
    output = (proc.stdout or "") + (proc.stderr or "")
    if proc.returncode != 0:
        failing = [
            line for line in output.splitlines()
            if any(word in line for word in ("ERROR", "FAIL", "Error", "error:"))
        ]
        summary = "\n".join(failing[-25:]) or output[-3000:]
        raise DbtError(
            f"dbt {' '.join(args)} failed (exit {proc.returncode}):\n{summary}\n"
            f"{memory_hint(output, env)}"
            f"full log: {Path(dbt_env(paths)['DBT_LOG_PATH']) / 'dbt.log'}"
        )
    return output


MEMORY_LIMIT_ENV = "BREADCRUMBS_DUCKDB_MEMORY_LIMIT"


def memory_hint(output: str, env: Mapping[str, str]) -> str:
    """A line telling how to give DuckDB more memory when dbt failed for lack of it (''
    otherwise): profiles.yml caps its buffer pool at BREADCRUMBS_DUCKDB_MEMORY_LIMIT."""
    if "Out of Memory Error" not in output:
        return ""
    limit = env.get(MEMORY_LIMIT_ENV) or "2500MB (the default)"
    return (f"DuckDB ran out of its memory limit, {MEMORY_LIMIT_ENV}={limit}: set it higher and "
            "run again (4GB builds 220 million raw rows; docs/performance.md); what was "
            "built before stays\n")

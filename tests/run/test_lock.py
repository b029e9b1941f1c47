"""`breadcrumbs run` is one at a time per warehouse: a lock file beside the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from breadcrumbs.cli import main
from breadcrumbs.project import resolve_paths
from breadcrumbs.run import RunLocked, lock_path, run_lock
from tests.paths import ROOT


def test_a_second_run_exits_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    warehouse = tmp_path / "wh.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = lock_path(resolve_paths(str(warehouse)))
        lock.write_text(f"{holder.pid} 2026-11-25T06:00:00Z\n")
        code = main(["run", "--warehouse", str(warehouse), "--init"])
        assert code == 75
        err = capsys.readouterr().err
        assert f"another `breadcrumbs run` (pid {holder.pid}" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert lock.read_text().startswith(str(holder.pid))  # left to its owner
        assert not warehouse.exists()  # nothing ran
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = lock_path(paths)
    lock.write_text(f"{dead.pid} 2026-11-25T06:00:00Z\n")
    with run_lock(paths) as held:
        assert held == lock
        assert lock.read_text().split()[0] == str(os.getpid())
        with pytest.raises(RunLocked):  # and it now keeps others out
            holder_check(paths)
    assert not lock.exists()


def holder_check(paths) -> None:
    """Try to take the lock from a child process (a different pid)."""
    code = subprocess.run(
        [sys.executable, "-c",
         "import sys; from breadcrumbs.run import run_lock, RunLocked\n"
         "from breadcrumbs.project import resolve_paths\n"
         f"paths = resolve_paths({str(paths.warehouse)!r})\n"
         "try:\n    run_lock(paths).__enter__()\nexcept RunLocked:\n    sys.exit(3)\n"],
        cwd=ROOT, check=False).returncode
    if code == 3:
        raise RunLocked("held")
    raise AssertionError(f"child exited {code}")


def test_lock_is_released_when_the_run_fails(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    with pytest.raises(RuntimeError, match="boom"), run_lock(paths):
        raise RuntimeError("boom")
    assert not lock_path(paths).exists()

"""What CI runs: `.ci/run` runs `make test` and then every test `make test` leaves out.

`make test` stays under ten minutes by leaving the system tests (marker `system`: whole builds
of their own, kill -9, the benchmark harness) and the PostgreSQL check to `make test-system`;
these tests fail if CI stops running them or if a tier's selection stops matching its marker."""

from __future__ import annotations

import re
import tomllib

from tests.paths import ROOT


def make_targets_run_by_ci() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return [m.group(1) for line in lines if (m := re.fullmatch(r"make (\S+)", line.strip()))]


def recipe(target: str) -> str:
    """The recipe lines of a Makefile target."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n|\s*\n)*)", text, re.M)
    assert match, f"Makefile has no target {target}"
    return match.group(1)


def test_ci_runs_make_test_then_the_system_tests_and_both_portability_checks() -> None:
    assert make_targets_run_by_ci() == ["test", "test-system", "test-spark"]
    assert "$(MAKE) --no-print-directory test-postgres" in recipe("test-system")


def test_make_test_leaves_out_exactly_what_test_system_runs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    fast = re.search(r"^PYTEST_SELECT \?= (.+)$", makefile, re.M)
    assert fast and fast.group(1) == "not system and not postgres and not accuracy"
    assert '-m "$(PYTEST_SELECT)"' in recipe("pytest")
    assert '-m "system and not postgres and not accuracy"' in recipe("test-system")
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"]["markers"]
    assert any(marker.startswith("system:") for marker in markers)

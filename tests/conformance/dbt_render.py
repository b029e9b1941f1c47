"""Render SQL that calls the project's macros, through dbt itself (`dbt compile --inline`).

The delivery rules live in macros (macros/delivery_rules.sql) that the dbt models call over
their refs. The conformance tests call the same macros over small DuckDB tables built from
DevLake's fixture CSVs: this module turns such a Jinja query into plain SQL, using the
project's real macro set, adapter dispatch and cross-database macros. The project is parsed
once per session into a private target folder (other builds may run next to it).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from tests.paths import ROOT


class DbtRenderer:
    """Compiles inline Jinja SQL against the project (parsed once, reused per query)."""

    def __init__(self, workdir: Path | None = None) -> None:
        from dbt.cli.main import dbtRunner

        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="breadcrumbs-conformance-"))
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        # compile opens the profile's DuckDB file: point it at a private, empty one
        os.environ["BREADCRUMBS_WAREHOUSE"] = str(self.workdir / "render.duckdb")
        self._args = [
            "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
            "--target-path", str(self.workdir / "target"),
            "--log-path", str(self.workdir / "logs"), "--quiet",
        ]
        parsed = dbtRunner().invoke(["parse", *self._args])
        if not parsed.success:
            raise RuntimeError(f"dbt parse failed for the conformance harness: {parsed.exception}")
        self._runner = dbtRunner(manifest=parsed.result)

    def render(self, jinja_sql: str, dbt_vars: dict | None = None) -> str:
        """Plain SQL for `jinja_sql` (which may call any project or dbt macro), with the dbt
        `dbt_vars` given (as `--vars`) when any."""
        extra = ["--vars", json.dumps(dbt_vars)] if dbt_vars else []
        result = self._runner.invoke(["compile", "--inline", jinja_sql, *self._args, *extra])
        if not result.success:
            raise RuntimeError(f"dbt could not compile the conformance query: {result.exception}")
        return result.result.results[0].node.compiled_code

"""Helpers shared by the staging tests: the salt they hash with and a dbt runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

SALT = "staging-test-salt"


def dbt(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the project's dbt from the project root."""
    exe = Path(sys.executable).parent / "dbt"
    return subprocess.run([str(exe if exe.exists() else "dbt"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)

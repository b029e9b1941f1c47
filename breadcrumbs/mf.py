"""`breadcrumbs mf …`: MetricFlow's `mf` for any warehouse (README, *Semantic layer*).

`mf` reads `<project>/target/semantic_manifest.json` of the folder it runs in (it ignores
DBT_TARGET_PATH), while dbt writes a non-default warehouse's artefacts to
build/targets/<warehouse>/. This runs `mf` in a small project folder beside that target
(`mf_project/`: the project's dbt_project.yml and a `target` link to the warehouse's target),
with BREADCRUMBS_WAREHOUSE pointing at the warehouse, after `dbt parse` when the warehouse has
no semantic manifest yet. `mf query` prints numbers in fixed point (`--decimals 2`) unless told
otherwise, so money never shows in scientific notation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from breadcrumbs.dbt import dbt_env, run_dbt
from breadcrumbs.project import Paths, ProjectError

DECIMALS = "2"


def mf_executable() -> str:
    """The `mf` installed beside this Python (the dev extra's dbt-metricflow)."""
    candidate = Path(sys.executable).parent / "mf"
    if not candidate.exists():
        raise ProjectError("mf (dbt-metricflow) is not installed: `make setup` installs the dev "
                           "extra, or pip install 'dbt-metricflow[dbt-duckdb]>=0.15,<0.16'")
    return str(candidate)


def semantic_manifest(paths: Paths, seeds_dir: Path | None = None) -> Path:
    """The warehouse's semantic manifest, written by `dbt parse` when it is missing."""
    manifest = paths.target_dir / "semantic_manifest.json"
    if not manifest.exists():
        run_dbt(["parse"], paths, seeds_dir=seeds_dir)
    if not manifest.exists():
        raise ProjectError(f"dbt parse wrote no {manifest}: is dbt-metricflow installed?")
    return manifest


def project_folder(paths: Paths) -> Path:
    """Where `mf` runs: the project root for the default warehouse (its target is target/),
    else a folder whose `target` is the warehouse's target folder."""
    if paths.target_dir == paths.root / "target":
        return paths.root
    folder = paths.target_dir / "mf_project"
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in (("dbt_project.yml", paths.root / "dbt_project.yml"),
                         ("target", paths.target_dir)):
        link = folder / name
        if link.is_symlink() and link.resolve() == source.resolve():
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(source)
    return folder


def with_defaults(args: Sequence[str]) -> list[str]:
    """`mf` arguments, with `--decimals 2` added to a `query` printed to the terminal."""
    out = list(args)
    if out[:1] == ["query"] and not any(
            a == "--decimals" or a.startswith("--decimals=") or a == "--csv" for a in out):
        out += ["--decimals", DECIMALS]
    return out


def run_mf(paths: Paths, args: Sequence[str], seeds_dir: Path | None = None) -> int:
    """Run `mf ARGS` against the warehouse of `paths`; its exit code."""
    if not paths.warehouse.exists():
        raise ProjectError(f"warehouse {paths.warehouse} does not exist: build it first "
                           "(`breadcrumbs demo --warehouse …` or `breadcrumbs run`)")
    semantic_manifest(paths, seeds_dir)
    folder = project_folder(paths)
    env = dbt_env(paths, seeds_dir)
    env.pop("DBT_TARGET_PATH", None)  # mf reads <folder>/target whatever this says
    env["DBT_PROFILES_DIR"] = os.environ.get("DBT_PROFILES_DIR") or str(paths.root)
    env["DBT_PROJECT_DIR"] = str(folder)
    return subprocess.run([mf_executable(), *with_defaults(args)], cwd=folder, env=env,
                          check=False).returncode

"""What the last `breadcrumbs demo` built, so a re-run redoes only what changed.

Each stage's inputs are fingerprinted (a SHA-256 of file contents and package versions):

- `raw`: the scenario file, the simulator and pipeline code, dlt and DuckDB versions. Same
  fingerprint → the landed raw data (and the generated seeds) would be identical: reuse them.
- `build`: `raw` plus every file of the dbt project (models, macros, tests, seeds, project and
  profile) and the dbt arguments. Same → the marts would be identical: skip `dbt build`. When
  only the project changed, dbt rebuilds the changed nodes and everything downstream of them
  (`--select state:modified+` against the manifest the last build saved).
- `docs` and `publish` follow `build`.

The state file (`<state dir>/demo-state.json`) is written after each stage succeeds, and a
stage's entry (and the later ones) is dropped before it starts: a run killed half-way reruns
the interrupted stage. `landed` records the dlt load ids in the warehouse: when anything else
loaded data into it since (`breadcrumbs run`), the demo starts from scratch again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

STATE_FILE = "demo-state.json"
STAGES = ("raw", "build", "verdicts", "docs", "publish")
MANIFEST_DIR = "last-build"  # the manifest of the last successful build, for state:modified
# what the landed raw data depends on, relative to the project root
RAW_INPUTS = ("breadcrumbs/simulator", "pipelines", "breadcrumbs/ingest.py")
# what the dbt build depends on besides the raw data (dbt_project.yml's paths)
BUILD_INPUTS = ("models", "macros", "tests/dbt", "seeds", "dbt_project.yml", "profiles.yml",
                "packages.yml")
RAW_PACKAGES = ("dlt", "duckdb")
BUILD_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# what the walk's step (why_step_verdicts) depends on besides the build
VERDICT_INPUTS = ("breadcrumbs/why", "breadcrumbs/warehouse")
SKIPPED_SUFFIXES = (".pyc",)


def _files(root: Path, entries: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for entry in entries:
        path = root / entry
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts and p.suffix not in SKIPPED_SUFFIXES)
    return sorted(found)


def fingerprint(root: Path, entries: Iterable[str], packages: Iterable[str] = (),
                extra: Iterable[str] = ()) -> str:
    """SHA-256 over the relative paths and contents of `entries` under `root` (files, or
    folders walked recursively), the installed versions of `packages` and `extra` strings."""
    digest = hashlib.sha256()
    for path in _files(root, entries):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for package in packages:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{package}=={version}\0".encode())
    for value in extra:
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()


def raw_fingerprint(root: Path, scenario_file: Path) -> str:
    return fingerprint(root, RAW_INPUTS, RAW_PACKAGES,
                       [hashlib.sha256(scenario_file.read_bytes()).hexdigest()])


def build_fingerprint(root: Path, raw: str, dbt_args: Iterable[str]) -> str:
    return fingerprint(root, BUILD_INPUTS, BUILD_PACKAGES, [raw, " ".join(dbt_args)])


def verdicts_fingerprint(root: Path, build: str) -> str:
    return fingerprint(root, VERDICT_INPUTS, extra=[build])


def file_stamp(path: Path) -> list[int]:
    """Size and modification time of a file (empty when it does not exist)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


@dataclass
class DemoState:
    """The demo's memory of its last run, beside the warehouse."""

    state_dir: Path
    stages: dict[str, str] = field(default_factory=dict)  # stage → fingerprint it built
    landed: list[list[str]] = field(default_factory=list)
    raw_rows: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    published: dict[str, int] = field(default_factory=dict)  # rows per published table
    published_stamp: list[int] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.state_dir / STATE_FILE

    @property
    def manifest_dir(self) -> Path:
        return self.state_dir / MANIFEST_DIR

    @classmethod
    def load(cls, state_dir: Path) -> DemoState:
        """The saved state, or an empty one when there is none or it cannot be read (the
        demo then rebuilds everything, which is always safe)."""
        state = cls(state_dir)
        try:
            saved = json.loads(state.path.read_text())
            state.stages = {k: v for k, v in saved["stages"].items() if k in STAGES}
            state.landed = saved["landed"]
            state.raw_rows = {k: int(v) for k, v in saved["raw_rows"].items()}
            state.summary = str(saved["summary"])
            state.published = {k: int(v) for k, v in saved["published"].items()}
            state.published_stamp = list(saved["published_stamp"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(state_dir)
        return state

    def save(self) -> None:
        """Write atomically (temporary file, then rename)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{STATE_FILE}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps({
            "stages": self.stages, "landed": self.landed, "raw_rows": self.raw_rows,
            "summary": self.summary, "published": self.published,
            "published_stamp": self.published_stamp,
        }, indent=1))
        os.replace(tmp, self.path)

    def fresh(self, stage: str, fingerprint_: str) -> bool:
        return self.stages.get(stage) == fingerprint_

    def starting(self, stage: str) -> None:
        """Forget `stage` and every later one before running it."""
        for name in STAGES[STAGES.index(stage):]:
            self.stages.pop(name, None)
        self.save()

    def finished(self, stage: str, fingerprint_: str) -> None:
        self.stages[stage] = fingerprint_
        self.save()

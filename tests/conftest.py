"""Shared fixtures: demo warehouses built once per session through the real pipeline code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.paths import ROOT

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# tests name their warehouses and snapshots themselves; a developer's own settings must not
# send a test's publish to the BI file they use
for _setting in ("BREADCRUMBS_WAREHOUSE", "BREADCRUMBS_PUBLISHED"):
    os.environ.pop(_setting, None)


# Session fixtures that build something big (a warehouse, a parsed project, a venv). Under
# pytest-xdist every worker is its own session, so `make pytest` (`--dist loadgroup`) sends all
# the tests using one of them to the same worker: each is built once per run, not once per
# worker. Any other test stays with its file (what `--dist loadfile` did), so a file's
# module fixtures are built once too.
SHARED_BUILDS = ("clean", "small_warehouse", "manifest", "guarded_parse", "tiny_base",
                 "staging_build", "dbt_renderer", "duckdb11")


def xdist_group_of(item: pytest.Item) -> str:
    """The xdist group of a test: the first shared build it uses, else its file."""
    names = getattr(item, "fixturenames", ())
    shared = next((name for name in SHARED_BUILDS if name in names), None)
    return shared or item.nodeid.split("::")[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup`, suffix each test id with its group as xdist does for an
    `xdist_group` mark (`<id>@<group>`: the scheduler keeps a group on one worker). Done here
    because xdist 3.8 sets `item._nodeid`, which pytest 9 no longer reads (its id is `_id`), so
    its own loadgroup suffix is lost."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        if "@" not in item.nodeid:
            suffixed = f"{item.nodeid}@{xdist_group_of(item)}"
            if hasattr(item, "_id"):  # pytest 9
                item._id = coerce_node_id(suffixed)
            item._nodeid = suffixed


def build_demo(scenario: str, warehouse: Path) -> Path:
    """Run `breadcrumbs demo` (no docs) for `scenario` into `warehouse`; return its path."""
    from breadcrumbs.demo import run_demo
    from breadcrumbs.project import resolve_paths

    paths = resolve_paths(str(warehouse), root=ROOT)
    run_demo(paths, ROOT / scenario, docs=False, say=lambda _message: None)
    return warehouse


@pytest.fixture(scope="session")
def default_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default scenario's demo warehouse. `make test` builds it first (the dbt-test step)
    and passes it in BREADCRUMBS_TEST_WAREHOUSE so it is built once per run."""
    given = os.environ.get("BREADCRUMBS_TEST_WAREHOUSE")
    if given and Path(given).exists():
        return Path(given)
    return build_demo("scenarios/default.yaml", tmp_path_factory.mktemp("default") / "wh.duckdb")


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small scenario's demo warehouse (fast), built once per session."""
    return build_demo("scenarios/small.yaml", tmp_path_factory.mktemp("small") / "wh.duckdb")


@pytest.fixture(scope="session")
def dbt_renderer(tmp_path_factory: pytest.TempPathFactory):
    """Renders Jinja SQL with the project's macros (tests/conformance/dbt_render.py); the
    project is parsed once per session."""
    from tests.conformance.dbt_render import DbtRenderer

    return DbtRenderer(tmp_path_factory.mktemp("dbt-render"))


@pytest.fixture
def world():
    """A tiny World (tests/fixtures/small_world.py) for the simulator and pipeline tests."""
    from tests.fixtures.small_world import small_world

    return small_world()


@pytest.fixture
def server(world):
    """The simulator serving `world` on loopback."""
    from breadcrumbs.simulator.server import serve

    with serve(world) as running:
        yield running


@pytest.fixture(scope="session")
def guarded_parse(tmp_path_factory: pytest.TempPathFactory):
    """One parse of the project per run, with the catalog guard's verdict
    (tests/metrics/conftest.py `run_guard`)."""
    from tests.metrics.conftest import run_guard

    return run_guard(tmp_path_factory)


@pytest.fixture(scope="session")
def manifest(guarded_parse) -> dict:
    """target/manifest.json of a fresh parse of the project."""
    return guarded_parse[1]

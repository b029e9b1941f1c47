"""Every response the GitHub, CI, incidents and signals sources request from the simulator
validates against the official description of the API version they pin (trimmed copies under
tests/fixtures/api_descriptions/): each endpoint, each page, and, in
test_optional_fields_absent.py, the same records without any optional part."""

from __future__ import annotations

import copy

import pytest
import requests

from breadcrumbs.simulator.api import github as simulated_github
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.server import serve
from pipelines.ci import settings as ci_settings
from pipelines.github import settings as github_settings
from pipelines.github.helpers import github_client
from pipelines.incidents import settings as incident_settings
from pipelines.incidents.helpers import pagerduty_client
from tests.conformance.api_descriptions import description, errors, validator_for
from tests.conformance.capture import Captured, ingest_and_capture
from tests.paths import ROOT

SOURCES = ["github", "ci", "incidents", "signals"]


def operations_of(api: str) -> set[str]:
    return {f"GET {path}" for path in description(api)["paths"]}


EVERY_OPERATION = operations_of("github") | operations_of("pagerduty") | {
    "GET /api/v1/query_range"}


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> list[Captured]:
    world = generate(load_scenario(ROOT / "scenarios" / "small.yaml"))
    return ingest_and_capture(world, tmp_path_factory.mktemp("describe") / "wh.duckdb", SOURCES)


def validated(captured: list[Captured]) -> dict[str, list[str]]:
    """Operation → problems, over every 200 response the sources received."""
    problems: dict[str, list[str]] = {}
    for item in captured:
        if item.status != 200:
            continue
        found = validator_for(item.target)
        assert found is not None, f"no description covers {item.target}"
        operation, validator = found
        problems.setdefault(operation, []).extend(
            f"{item.target}: {e}" for e in errors(validator, item.body))
    return problems


def test_pinned_versions() -> None:
    assert github_settings.API_VERSION == ci_settings.API_VERSION == "2022-11-28"
    assert simulated_github.API_VERSION == github_settings.API_VERSION
    assert incident_settings.ACCEPT == "application/vnd.pagerduty+json;version=2"
    gh = github_client("github", "http://127.0.0.1:9", "t", "s", None)
    assert gh.session.headers["X-GitHub-Api-Version"] == "2022-11-28"
    ci = github_client("ci", "http://127.0.0.1:9", "t", "s", None, ci_settings.API_VERSION)
    assert ci.session.headers["X-GitHub-Api-Version"] == "2022-11-28"
    pd = pagerduty_client("http://127.0.0.1:9", "t", "s", None)
    assert pd.session.headers["Accept"] == incident_settings.ACCEPT


def test_simulator_refuses_a_version_it_does_not_serve(small_world_server) -> None:
    server, world = small_world_server
    repo = sorted(world.repos)[0]
    url = f"{server.base_urls['github']}/repos/{repo}/pulls"
    token = {"Authorization": f"Bearer {world.tokens.get('github', 'sim-token')}"}
    refused = requests.get(url, headers={**token, "X-GitHub-Api-Version": "2099-01-01"},
                           timeout=10)
    assert refused.status_code == 400
    assert "2099-01-01" in refused.json()["message"]
    pinned = requests.get(url, headers={**token, "X-GitHub-Api-Version": "2022-11-28"},
                          timeout=10)
    assert pinned.status_code == 200


@pytest.fixture(scope="module")
def small_world_server():
    world = generate(load_scenario(ROOT / "scenarios" / "small.yaml"))
    with serve(world) as server:
        yield server, world


def test_every_operation_was_requested_and_paged(captured: list[Captured]) -> None:
    ok = [c for c in captured if c.status == 200]
    requested = {validator_for(c.target)[0] for c in ok}
    assert requested == EVERY_OPERATION
    assert any("page=2" in c.target for c in ok), "no endpoint was read past its first page"


def test_every_response_validates(captured: list[Captured]) -> None:
    problems = validated(captured)
    bad = {op: found[:5] for op, found in problems.items() if found}
    assert not bad, "\n".join(f"{op}:\n  " + "\n  ".join(found) for op, found in bad.items())


def _first(captured: list[Captured], operation: str) -> Captured:
    return next(c for c in captured if c.status == 200
                and validator_for(c.target)[0] == operation and c.body)


@pytest.mark.parametrize(("operation", "break_it", "expected"), [
    ("GET /repos/{owner}/{repo}/pulls/{pull_number}",
     lambda b: b.update(id=str(b["id"])), "is not of type 'integer'"),
    ("GET /repos/{owner}/{repo}/pulls/{pull_number}",
     lambda b: b.pop("number"), "'number' is a required property"),
    ("GET /repos/{owner}/{repo}/actions/runs",
     lambda b: b["workflow_runs"][0].update(created_at="yesterday"), "is not a 'date-time'"),
    ("GET /repos/{owner}/{repo}/issues",
     lambda b: b[0].update(state_reason="abandoned"), "is not one of"),
    ("GET /incidents",
     lambda b: b["incidents"][0].update(status="snoozed"), "is not one of"),
    ("GET /api/v1/query_range",
     lambda b: b["data"]["result"][0]["values"][0].__setitem__(1, 0.5), "is not of type"),
])
def test_the_validator_fails_on_a_broken_response(captured, operation, break_it, expected):
    """Negative check: a wrong type, a missing required field, a bad time, an unknown enum
    value and a number where Prometheus sends a string are each caught."""
    item = _first(captured, operation)
    body = copy.deepcopy(item.body)
    assert not list(errors(validator_for(item.target)[1], body))
    break_it(body)
    found = list(errors(validator_for(item.target)[1], body, limit=50))
    assert found and any(expected in e for e in found), found

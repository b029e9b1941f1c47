"""`breadcrumbs doctor`: one line per source, the fix when it fails, never the token; against
the simulator and a loopback stub answering what real APIs answer when something is wrong."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from breadcrumbs.cli import main
from breadcrumbs.ingest import simulator_env
from breadcrumbs.simulator.server import SimulatorServer, serve
from pipelines.ci import settings as ci_settings
from pipelines.github import settings as github_settings
from pipelines.revenue import settings as revenue_settings
from tests.fixtures.small_world import small_world
from tests.paths import ROOT

TOKENS = {"GITHUB__ACCESS_TOKEN": "ghp_doctorGithubSecret0001",
          "CI__ACCESS_TOKEN": "ghp_doctorCiSecret000002",
          "INCIDENTS__API_TOKEN": "pd-doctor-secret-0003",
          "REVENUE__API_KEY": "rk_test_doctorStripeSecret04",
          "SIGNALS__BEARER_TOKEN": "prom-doctor-secret-0005"}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["doctor", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.out + captured.err


def assert_no_token(text: str) -> None:
    for token in TOKENS.values():
        assert token not in text
    assert "doctorStripeSecret" not in text and "doctorGithubSecret" not in text


@pytest.fixture(autouse=True)
def project_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def simulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimulatorServer]:
    """The small world served on loopback, every source pointed at it."""
    world = small_world()
    with serve(world) as server:
        for key, value in simulator_env(server, world).items():
            monkeypatch.setenv(key, value)
        yield server


def test_every_source_of_the_simulator_passes(simulator: SimulatorServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run([], capsys)
    assert sum(simulator.path_counts().values()) == 5  # one request per source
    assert code == 0
    assert [line.split()[:2] for line in lines] == [
        ["github", "OK"], ["ci", "OK"], ["incidents", "OK"], ["revenue", "OK"],
        ["signals", "OK"], ["cloud_cost", "OK"]]
    # the simulator delivered one FOCUS file per month of the small world (March, April)
    assert f"2 FOCUS export file(s) under {simulator.bucket}" in lines[5]
    assert f"X-GitHub-Api-Version {github_settings.API_VERSION}" in lines[0]
    assert f"Stripe-Version {revenue_settings.STRIPE_VERSION}" in lines[3]
    assert "version=2" in lines[2] and "Prometheus 2." in lines[4]


def test_wrong_tokens_fail_each_source_with_the_setting_and_never_the_token(
        simulator: SimulatorServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for key, token in TOKENS.items():
        monkeypatch.setenv(f"SOURCES__{key}", token)
    code, lines, text = run([], capsys)
    assert code == 1
    assert len(lines) == 6 and all(line.split()[1] == "FAIL" for line in lines[:5])
    assert lines[5].split()[:2] == ["cloud_cost", "OK"]  # files, no token
    for line, secret in zip(lines[:5], ("sources.github.access_token", "sources.ci.access_token",
                                    "sources.incidents.api_token", "sources.revenue.api_key",
                                    "sources.signals.bearer_token"), strict=True):
        assert "token was refused (401" in line and f"set {secret}" in line
    assert "5 source(s) need a fix" in text
    assert_no_token(text)


def test_api_versions_the_server_refuses_are_named(
        simulator: SimulatorServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(github_settings, "API_VERSION", "2021-01-01")
    monkeypatch.setattr(revenue_settings, "STRIPE_VERSION", "2019-2-19")
    code, lines, _ = run(["--source", "github", "--source", "ci", "--source", "revenue"],
                         capsys)
    assert code == 1
    github, ci, revenue = lines
    assert "FAIL" in github and "does not accept X-GitHub-Api-Version 2021-01-01 (400" in github
    assert "OK" in ci and ci_settings.API_VERSION in ci  # the CI source pins its own
    assert "FAIL" in revenue and "Stripe-Version 2019-2-19 (400: Invalid Stripe API " \
        "version: 2019-2-19)" in revenue


def test_nothing_configured_is_skipped_and_exits_non_zero(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for key in (*TOKENS, "GITHUB__REPOS", "CI__REPOS", "CLOUD_COST__BUCKET_URL"):
        monkeypatch.setenv(f"SOURCES__{key}", "")
    code, lines, text = run([], capsys)
    assert code == 1
    assert all(line.split()[1] == "SKIP" for line in lines) and len(lines) == 6
    assert "set sources.cloud_cost.bucket_url" in lines[5]
    assert "no source is configured" in text


class Stub:
    """A loopback server answering each path with a canned (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.seen: list[dict[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                stub.seen.append({k.lower(): v for k, v in self.headers.items()})
                path = self.path.split("?")[0]
                status, headers, body = stub.routes.get(path, (404, {}, b"404 page not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str, status: int, body: object, **headers: str) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stub]:
    running = Stub()
    for source in ("github", "ci", "incidents", "revenue", "signals"):
        monkeypatch.setenv(f"SOURCES__{source.upper()}__BASE_URL", running.url)
    for key, token in TOKENS.items():
        monkeypatch.setenv(f"SOURCES__{key}", token)
    monkeypatch.setenv("SOURCES__GITHUB__REPOS", '["acme/checkout"]')
    monkeypatch.setenv("SOURCES__CI__REPOS", '["acme/checkout"]')
    yield running
    running.stop()


GITHUB_403 = {"message": "Resource not accessible by personal access token",
              "documentation_url": "https://docs.github.com/rest/pulls/pulls"}


@pytest.mark.parametrize(("source", "path", "status", "body", "headers", "expected"), [
    ("github", "/repos/acme/checkout/pulls", 403, GITHUB_403,
     {"X_Accepted_GitHub_Permissions": "pull_requests=read"},
     "fine-grained token lacks a permission for pull requests of acme/checkout (403; GitHub "
     "accepts pull_requests=read)"),
    ("ci", "/repos/acme/checkout/actions/runs", 403, GITHUB_403,
     {"X_OAuth_Scopes": "read:org, gist"},
     "the classic token's scopes (read:org, gist) do not allow workflow runs of acme/checkout"),
    ("github", "/repos/acme/checkout/pulls", 403, GITHUB_403,
     {"X_GitHub_SSO": "required; url=https://github.com/orgs/acme/sso?authorization_request=1"},
     "not authorized for the organisation's SAML SSO"),
    ("github", "/repos/acme/checkout/pulls", 404,
     {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {},
     "acme/checkout is not visible to this token (404 on pull requests of acme/checkout)"),
    ("ci", "/elsewhere", 404, b"", {},
     "GET /repos/acme/checkout/actions/runs is not found at http://127.0.0.1:"),
    ("github", "/repos/acme/checkout/pulls", 403,
     {"message": "API rate limit exceeded"},
     {"X_RateLimit_Remaining": "0", "X_RateLimit_Reset": "1767225600"},
     "rate limited (403 on GET /repos/acme/checkout/pulls; retry after/at 1767225600)"),
    ("revenue", "/v1/customers", 403,
     {"error": {"message": "The provided key 'rk_test_doctorStripeSecret04' does not have the "
                           "required permissions for this endpoint on account 'acct_1'.",
                "type": "invalid_request_error"}}, {},
     "the key may not read customers (403: The provided key '***' does not have"),
    ("incidents", "/incidents", 403,
     {"error": {"message": "Access Denied", "code": 2010}}, {},
     "the token may not read incidents (403: Access Denied)"),
    ("signals", "/api/v1/status/buildinfo", 401, b"Unauthorized\n", {},
     "token was refused (401 on GET /api/v1/status/buildinfo"),
    ("signals", "/api/v1/status/buildinfo", 200, b"<html>Grafana</html>",
     {"Content_Type": "text/html"}, "answered 200 but not a Prometheus API answer"),
    ("incidents", "/incidents", 500, {"error": {"message": "Internal error"}}, {},
     "GET /incidents answered 500: Internal error"),
])
def test_what_real_apis_answer_becomes_the_fix(
        stub: Stub, capsys: pytest.CaptureFixture[str], source: str, path: str, status: int,
        body: object, headers: dict[str, str], expected: str) -> None:
    stub.answer(path, status, body, **headers)
    code, lines, text = run(["--source", source], capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].split()[:2] == [source, "FAIL"]
    assert expected in lines[0], lines[0]
    assert_no_token(text)


def test_the_stub_sees_the_pinned_versions_and_the_sources_auth_schemes(
        stub: Stub, capsys: pytest.CaptureFixture[str]) -> None:
    stub.answer("/repos/acme/checkout/pulls", 200, [],
                X_GitHub_Api_Version_Selected=github_settings.API_VERSION,
                X_OAuth_Scopes="repo")
    stub.answer("/v1/customers", 200, {"object": "list", "data": [], "has_more": False},
                Stripe_Version=revenue_settings.STRIPE_VERSION)
    stub.answer("/api/v1/query", 200, {"status": "success",
                                       "data": {"resultType": "scalar", "result": [0, "1"]}})
    code, lines, text = run(["--source", "github", "--source", "revenue", "--source",
                             "signals"], capsys)
    assert code == 0, text
    assert "classic token scopes: repo" in lines[0]
    assert "(test mode)" in lines[1]
    assert "query API answering" in lines[2]  # no buildinfo (404): a one-point query instead
    github, revenue, *_signals = stub.seen
    assert github["x-github-api-version"] == github_settings.API_VERSION
    assert github["authorization"] == f"Bearer {TOKENS['GITHUB__ACCESS_TOKEN']}"
    assert revenue["stripe-version"] == revenue_settings.STRIPE_VERSION


def test_a_server_answering_another_stripe_version_fails(
        stub: Stub, capsys: pytest.CaptureFixture[str]) -> None:
    stub.answer("/v1/customers", 200, {"object": "list", "data": [], "has_more": False},
                Stripe_Version="2020-08-27")
    code, lines, _ = run(["--source", "revenue"], capsys)
    assert code == 1 and "Stripe answered with API version 2020-08-27, not the pinned" in lines[0]


def test_an_unreachable_source_names_the_base_url(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SOURCES__INCIDENTS__BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SOURCES__INCIDENTS__API_TOKEN", TOKENS["INCIDENTS__API_TOKEN"])
    code, lines, text = run(["--source", "incidents"], capsys)
    assert code == 1
    assert f"cannot reach 127.0.0.1:{port} (ConnectionError) — check " \
        "sources.incidents.base_url" in lines[0]
    assert_no_token(text)


def test_a_token_is_never_sent_over_plain_http_to_another_host(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__SIGNALS__BASE_URL", "http://prometheus.invalid:9090")
    monkeypatch.setenv("SOURCES__SIGNALS__BEARER_TOKEN", TOKENS["SIGNALS__BEARER_TOKEN"])
    code, lines, text = run(["--source", "signals"], capsys)
    assert code == 1
    assert "refusing to send sources.signals.bearer_token over plain http" in lines[0]
    assert_no_token(text)


def test_a_base_url_without_its_token_is_a_failure_not_a_skip(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__SIGNALS__BASE_URL", "https://prometheus.example:9090")
    monkeypatch.setenv("SOURCES__SIGNALS__BEARER_TOKEN", "")
    code, lines, _ = run(["--source", "signals"], capsys)
    assert code == 1
    assert lines == ["signals    FAIL  no credentials: set sources.signals.bearer_token"]


def test_configured_repos_that_cannot_be_read_are_a_failure(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__GITHUB__ACCESS_TOKEN", TOKENS["GITHUB__ACCESS_TOKEN"])
    monkeypatch.setenv("SOURCES__GITHUB__REPOS", '["checkout"]')
    code, lines, text = run(["--source", "github"], capsys)
    assert code == 1
    assert "sources.github.repos: expected \"owner/name\" entries, got 'checkout'" in lines[0]
    assert_no_token(text)


def test_cloud_cost_names_a_missing_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__CLOUD_COST__BUCKET_URL", str(tmp_path / "nowhere"))
    code, lines, _ = run(["--source", "cloud_cost"], capsys)
    assert code == 1
    assert lines == [f"cloud_cost FAIL  {tmp_path / 'nowhere'} is not a folder — set "
                     "sources.cloud_cost.bucket_url to the folder the FOCUS exports are "
                     "delivered to"]


def test_cloud_cost_empty_folder_is_reachable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCES__CLOUD_COST__BUCKET_URL", str(tmp_path))
    (tmp_path / "manifest.json").write_text("{}")
    code, lines, _ = run(["--source", "cloud_cost"], capsys)
    assert code == 0
    assert lines == [f"cloud_cost OK    {tmp_path} is reachable but holds no FOCUS export yet "
                     "(*.csv, *.csv.gz, *.parquet)"]

"""The simulator's HTTP layer: auth, pagination shapes, Prometheus matrices, faults, bytes."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from breadcrumbs.simulator.server import SimulatorServer, serve
from breadcrumbs.simulator.world import World
from tests.fixtures.small_world import START, TOKENS, small_world

GH = {"Authorization": f"Bearer {TOKENS['github']}"}
PD = {"Authorization": f"Token token={TOKENS['incidents']}"}
STRIPE = {"Authorization": f"Bearer {TOKENS['revenue']}"}
PROM = {"Authorization": f"Bearer {TOKENS['signals']}"}
T0 = int(START.timestamp())


def get(server: SimulatorServer, url: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(server.root + url, headers=headers, timeout=10)


@pytest.mark.parametrize(("url", "headers", "body"), [
    ("/github/repos/acme/checkout/pulls", {}, {"message": "Bad credentials"}),
    ("/github/repos/acme/checkout/pulls", {"Authorization": "Bearer nope"}, None),
    ("/pagerduty/incidents", {"Authorization": f"Bearer {TOKENS['incidents']}"},
     {"error": {"message": "Authentication failed", "code": 2006}}),
    ("/stripe/v1/customers", {"Authorization": f"Bearer {TOKENS['github']}"}, None),
    ("/prometheus/api/v1/query_range?query=cpu&start=0&end=1&step=1", {}, None),
])
def test_wrong_or_missing_token_is_401(server: SimulatorServer, url: str, headers: dict,
                                       body: dict | None) -> None:
    response = get(server, url, headers)
    assert response.status_code == 401
    if body is not None:
        assert response.json().items() >= body.items()


def test_each_api_accepts_its_own_auth_scheme(server: SimulatorServer) -> None:
    basic = base64.b64encode(f"{TOKENS['revenue']}:".encode()).decode()
    assert get(server, "/github/repos/acme/checkout/releases",
               {"Authorization": f"token {TOKENS['ci']}"}).status_code == 200
    assert get(server, "/github/repos/acme/checkout/actions/runs", GH).status_code == 200
    assert get(server, "/pagerduty/incidents", PD).status_code == 200
    assert get(server, "/stripe/v1/customers", {"Authorization": f"Basic {basic}"}
               ).status_code == 200


def test_github_link_headers_and_list_shape(server: SimulatorServer, world: World) -> None:
    url = "/github/repos/acme/checkout/pulls?state=all&sort=updated&direction=desc&per_page=3"
    first = get(server, url, GH)
    assert first.status_code == 200
    assert set(first.links) == {"next", "last"}
    assert first.links["next"]["url"].startswith(server.root + "/github/repos/acme/checkout/pulls?")
    assert "page=3" in first.links["last"]["url"]
    assert "additions" not in first.json()[0] and "merged_by" not in first.json()[0]
    updated = [p["updated_at"] for p in first.json()]
    assert updated == sorted(updated, reverse=True)
    last = requests.get(first.links["last"]["url"], headers=GH, timeout=10)
    assert "next" not in last.links and set(last.links) == {"first", "prev"}
    seen = len(first.json()) + len(last.json())
    middle = requests.get(first.links["next"]["url"], headers=GH, timeout=10).json()
    assert seen + len(middle) == len(world.repos["acme/checkout"].pulls)
    detail = get(server, "/github/repos/acme/checkout/pulls/1", GH).json()
    assert detail["additions"] == 3


def test_github_404s(server: SimulatorServer) -> None:
    for url in ("/github/repos/acme/nope/pulls", "/github/repos/acme/checkout/pulls/999",
                "/github/repos/acme/checkout/wat", "/nowhere"):
        response = get(server, url, GH)
        assert response.status_code == 404
        assert response.json()["message"] == "Not Found"


def test_actions_runs_created_filter_and_jobs(server: SimulatorServer, world: World) -> None:
    runs = get(server, "/github/repos/acme/checkout/actions/runs?created=%3E%3D2026-03-03", GH)
    body = runs.json()
    assert body["total_count"] == len(body["workflow_runs"])
    assert all(r["created_at"] >= "2026-03-03" for r in body["workflow_runs"])
    assert 0 < body["total_count"] < len(world.repos["acme/checkout"].workflow_runs)
    run = world.repos["acme/checkout"].workflow_runs[-1]  # oldest: run_attempt 2
    all_jobs = get(server, f"/github/repos/acme/checkout/actions/runs/{run['id']}/jobs?filter=all",
                   GH).json()
    latest = get(server, f"/github/repos/acme/checkout/actions/runs/{run['id']}/jobs", GH).json()
    assert all_jobs["total_count"] == 2 and latest["total_count"] == 1


def test_pagerduty_offset_limit_more(server: SimulatorServer, world: World) -> None:
    first = get(server, "/pagerduty/incidents?limit=5&total=true", PD).json()
    assert (first["limit"], first["offset"], first["total"], first["more"]) == (5, 0, 8, True)
    rest = get(server, "/pagerduty/incidents?limit=5&offset=5", PD).json()
    assert (len(rest["incidents"]), rest["more"], rest["total"]) == (3, False, None)
    since = world.incidents[4]["created_at"]
    window = get(server, f"/pagerduty/incidents?since={since}", PD).json()
    assert [i["id"] for i in window["incidents"]] == [i["id"] for i in world.incidents[4:]]
    entries = get(server, "/pagerduty/incidents/PINC0000/log_entries?limit=2", PD).json()
    assert len(entries["log_entries"]) == 2 and entries["more"] is True
    assert get(server, "/pagerduty/incidents/PNOPE/log_entries", PD).status_code == 404


def test_stripe_has_more_and_starting_after(server: SimulatorServer, world: World) -> None:
    page = get(server, "/stripe/v1/customers?limit=10", STRIPE).json()
    assert (page["object"], page["url"], page["has_more"]) == ("list", "/v1/customers", True)
    after = page["data"][-1]["id"]
    rest = get(server, f"/stripe/v1/customers?limit=10&starting_after={after}", STRIPE).json()
    assert rest["has_more"] is False
    assert [c["id"] for c in page["data"] + rest["data"]] == [c["id"] for c in world.customers]
    active = get(server, "/stripe/v1/subscriptions?limit=100", STRIPE).json()["data"]
    every = get(server, "/stripe/v1/subscriptions?limit=100&status=all", STRIPE).json()["data"]
    assert len(every) == len(world.subscriptions) > len(active)
    cutoff = world.invoices[3]["created"]
    recent = get(server, f"/stripe/v1/invoices?limit=100&created%5Bgte%5D={cutoff}",
                 STRIPE).json()["data"]
    assert recent and all(i["created"] >= cutoff for i in recent)
    assert get(server, "/stripe/v1/customers?starting_after=cus_nope", STRIPE).status_code == 404
    assert get(server, "/stripe/v1/customers?limit=101", STRIPE).status_code == 400


def test_prometheus_matrix(server: SimulatorServer) -> None:
    url = (f'/prometheus/api/v1/query_range?query=cpu{{service="checkout"}}'
           f"&start={T0}&end={T0 + 3 * 3600}&step=3600")
    body = get(server, url, PROM).json()
    assert body["status"] == "success" and body["data"]["resultType"] == "matrix"
    (series,) = body["data"]["result"]
    assert series["metric"] == {"__name__": "cpu", "service": "checkout"}
    assert [t for t, _ in series["values"]] == [T0 + h * 3600 for h in range(4)]
    assert all(isinstance(v, str) for _, v in series["values"])
    every = get(server, f"/prometheus/api/v1/query_range?query=cpu&start={T0}&end={T0}&step=3600",
                PROM).json()["data"]["result"]
    assert [s["metric"]["service"] for s in every] == ["checkout", "search"]
    coarse = get(server, f"/prometheus/api/v1/query_range?query=cpu{{service=\"search\"}}"
                 f"&start={T0}&end={T0 + 47 * 3600}&step=21600", PROM).json()["data"]["result"]
    assert len(coarse[0]["values"]) == 8  # sampled every 6 h
    usage = get(server, f'/prometheus/api/v1/query_range?query=feature_usage{{feature="export"}}'
                f"&start={T0}&end={T0}&step=3600", PROM).json()["data"]["result"]
    assert {s["metric"]["customer"] for s in usage} == {"cus_0000", "cus_0001"}


def test_prometheus_rejects_more_than_11000_points(server: SimulatorServer) -> None:
    ok = get(server, f"/prometheus/api/v1/query_range?query=cpu&start=0&end={11000 * 3600}"
             "&step=3600", PROM)
    assert ok.status_code == 200
    too_many = get(server, f"/prometheus/api/v1/query_range?query=cpu&start=0"
                   f"&end={11001 * 3600}&step=3600", PROM)
    assert too_many.status_code == 400
    body = too_many.json()
    assert (body["status"], body["errorType"]) == ("error", "bad_data")
    assert "11,000 points" in body["error"]


def test_same_world_same_bytes() -> None:
    urls = [("/github/repos/acme/checkout/pulls?state=all&per_page=4", GH),
            ("/github/repos/acme/search/actions/runs", GH),
            ("/pagerduty/incidents?total=true", PD),
            ("/stripe/v1/subscriptions?status=all", STRIPE),
            (f"/prometheus/api/v1/query_range?query=requests&start={T0}&end={T0 + 7200}&step=3600",
             PROM)]
    bodies = []
    for _ in range(2):
        with serve(small_world()) as server:
            bodies.append([get(server, url, headers).content for url, headers in urls])
    assert bodies[0] == bodies[1]
    assert json.loads(bodies[0][0])


def test_faults_are_deterministic_and_transient() -> None:
    faults = [{"source": "github", "kind": "server_error", "rate": 0.5},
              {"source": "revenue", "kind": "rate_limit", "rate": 0.5, "retry_after": 3}]
    runs = []
    for _ in range(2):
        with serve(small_world(api_faults=faults)) as server:
            statuses = []
            for url, headers in [("/github/repos/acme/checkout/releases", GH),
                                 ("/stripe/v1/customers", STRIPE)] * 4:
                response = get(server, url, headers)
                statuses.append(response.status_code)
                if response.status_code == 429:
                    assert response.headers["Retry-After"] == "3"
            runs.append(statuses)
    assert runs[0] == runs[1]
    assert runs[0][-2:] == [200, 200]  # at most two failures in a row per request


def test_refuses_non_loopback_hosts(world: World) -> None:
    with pytest.raises(ValueError, match="refusing"):
        serve(world, host="0.0.0.0")


def test_wait_returns_once_stopped(world: World) -> None:
    import threading

    server = serve(world)
    threading.Timer(0.1, server.stop).start()
    server.wait()
    assert not server._thread.is_alive()


def test_links_use_the_host_the_client_called(server: SimulatorServer) -> None:
    url = f"http://localhost:{server.port}/github/repos/acme/checkout/commits?per_page=5"
    response = requests.get(url, headers=GH, timeout=10)
    assert response.links["next"]["url"].startswith(f"http://localhost:{server.port}/github/")

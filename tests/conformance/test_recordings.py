"""Real recordings through the real sources and the whole `dbt build`, values checked by hand.

GitHub and GitHub Actions: DevLake's recorded api.github.com responses for panjf2000/ants,
plus the workflow-run and job examples of GitHub's REST description (a run with
`pull_requests: []`, a job without `run_attempt`). PagerDuty: the incident and log-entry
examples of its API schema. Prometheus: the `query_range` example of its HTTP API docs,
replayed verbatim by a loopback server. Stripe: Stripe's own example objects (stripe/openapi
fixtures: customer, subscription, price without lookup key, product, discount, tax rate) as two
paid invoices of one subscription, the second discounted and taxed (completions listed in
tests/fixtures/recordings/stripe/README.md), beside the small scenario's simulated account.
Origins and licences: tests/fixtures/recordings/README.md."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from breadcrumbs.dbt import run_dbt
from breadcrumbs.ingest import ingest
from breadcrumbs.project import resolve_paths
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds
from breadcrumbs.simulator.world import Plan, RepoActivity
from tests.conformance.api_descriptions import errors, prometheus_validator, validator_for
from tests.conformance.capture import env, ingest_and_capture
from tests.conformance.test_devlake_github_payloads import REPO as ANTS
from tests.conformance.test_devlake_github_payloads import _world as devlake_world
from tests.fixtures import stripe_recordings
from tests.paths import ROOT

pytestmark = pytest.mark.system  # builds its own warehouses: make test-system

RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"
EXAMPLE_REPO = "octo-org/octo-repo"
RECORDED_CUSTOMER = "cus_QXg1o8vcGmoR32"
RECORDED_PLAN = "prod_QXg1hqf4jFNsqG"  # the recorded product: no lookup key, no metadata


def _json(path: str) -> dict:
    return json.loads((RECORDINGS / path).read_text())


@pytest.fixture(scope="module")
def prometheus_docs_server() -> Iterator[str]:
    """Serves the documentation's query_range example, as recorded, on 127.0.0.1."""
    body = (RECORDINGS / "prometheus_docs" / "query_range_up.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            ok = self.path.startswith("/api/v1/query_range?")
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) if ok else 0))
            self.end_headers()
            if ok:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory,
          prometheus_docs_server: str) -> Iterator[tuple[duckdb.DuckDBPyConnection, list]]:
    world = generate(load_scenario(ROOT / "scenarios" / "small.yaml"))
    world.repos[ANTS] = devlake_world().repos[ANTS]
    example = RepoActivity()
    example.workflow_runs = _json("github_description/workflow-run-paginated.json")[
        "workflow_runs"]
    # GitHub's description gives a run example and a job example of different runs (job
    # 399444496 of run 29679449): the job is served unchanged under a copy of the run
    # example re-keyed to its run id and sha (the only edit), so the job has its run
    jobs = _json("github_description/job-paginated.json")["jobs"]
    example.workflow_runs.append({**example.workflow_runs[0], "id": jobs[0]["run_id"],
                                  "head_sha": jobs[0]["head_sha"]})
    example.workflow_jobs = {jobs[0]["run_id"]: jobs, example.workflow_runs[0]["id"]: []}
    world.repos[EXAMPLE_REPO] = example
    incidents = _json("pagerduty_description/incidents.json")["incidents"]
    world.incidents = [*world.incidents, *incidents]
    world.log_entries = {**world.log_entries, incidents[0]["id"]: _json(
        "pagerduty_description/log_entries.json")["log_entries"]}
    # Stripe's recorded objects, older than every simulated one (lists stay newest first);
    # the price has no lookup key and no metadata anywhere, so its plan key is the product
    # id, which plans.csv lists (the way an account without lookup keys is set up)
    stripe = stripe_recordings.objects()
    world.customers = [*world.customers, stripe["customer"]]
    world.subscriptions = [*world.subscriptions, stripe_recordings.subscription()]
    world.invoices = [*world.invoices, *stripe_recordings.subscription_invoices()]
    world.prices = [*world.prices, stripe_recordings.price()]
    world.plans = [*world.plans, Plan(RECORDED_PLAN, 2000, (), None)]
    paths = resolve_paths(str(tmp_path_factory.mktemp("recorded") / "wh.duckdb"), root=ROOT)
    write_seeds(world, paths.seeds_dir)
    captured = ingest_and_capture(world, paths.warehouse, ["github", "ci", "incidents",
                                                           "revenue"],
                                  extra_env={"SOURCES__INCIDENTS__START": "2015-01-01T00:00:00Z"})
    with env({"SOURCES__SIGNALS__BASE_URL": prometheus_docs_server,
              "SOURCES__SIGNALS__BEARER_TOKEN": "docs-token",
              "SOURCES__SIGNALS__QUERIES": json.dumps({"up": "up"}),
              "SOURCES__SIGNALS__START": "2015-07-01T20:10:30Z",
              "SOURCES__SIGNALS__END": "2015-07-01T20:11:00Z",
              "SOURCES__SIGNALS__STEP": "15"}):
        ingest(paths.warehouse, sources=["signals"])
    run_dbt(["build"], paths, seeds_dir=paths.seeds_dir)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    yield con, captured
    con.close()


def test_recorded_examples_validate_against_their_descriptions(built) -> None:
    _, captured = built
    recorded = [c for c in captured if c.status == 200 and (
        EXAMPLE_REPO in c.target or "PT4KHLK" in c.target)]
    assert recorded
    for item in recorded:
        operation, validator = validator_for(item.target)
        found = list(errors(validator, item.body))
        if operation.endswith("/jobs") and item.body["jobs"]:
            # GitHub's own job example predates `created_at`, which its schema now requires
            assert found == ["jobs/0: 'created_at' is a required property"], found
        else:
            assert not found, item.target
    docs = _json("prometheus_docs/query_range_up.json")
    assert not list(errors(prometheus_validator(), docs))


def test_pull_request_cycle_time_of_a_recorded_pr(built) -> None:
    """panjf2000/ants#51, from the recorded responses: first commit authored
    2019-09-11T08:39:55Z, opened 08:46:23Z, merged 2019-09-12T01:00:32Z, never deployed.
    Coding = ceil(6 min 28 s) = 7; opened → merged = ceil(16 h 14 min 9 s) = 975;
    cycle = 7 + 975 = 982 minutes (minutes rounded up per part, DevLake's rule)."""
    con, _ = built
    row = con.execute("select coding_minutes, cycle_minutes, is_merged from "
                      "marts.fct_pull_requests where repo_full_name = ? and "
                      "pull_request_number = 51", [ANTS]).fetchone()
    assert row == (7, 982, True)


def test_job_minutes_and_optional_fields_of_the_recorded_run(built) -> None:
    """GitHub's job example: started 2020-01-20T17:42:40Z, completed 17:44:39Z → 119 s =
    1.9833 minutes; it has no `run_attempt`, so it ran in attempt 1. The run example has
    `pull_requests: []`, so it links no pull request."""
    con, _ = built
    job = con.execute("select duration_minutes, run_attempt, is_success from "
                      "marts.fct_ci_jobs where workflow_job_id = 399444496").fetchone()
    assert job is not None
    assert job[0] == pytest.approx(119 / 60) and job[1:] == (1, True)
    run = con.execute("select run_attempt, status from marts.fct_ci_runs "
                      "where workflow_run_id = 30433642").fetchone()
    assert run == (1, "queued")
    linked = con.execute(
        "select count(*) from staging.stg_ci__workflow_run_pull_requests as p "
        "inner join staging.stg_ci__workflow_runs as r "
        "on p.workflow_run_row_key = r.workflow_run_row_key "
        "where r.workflow_run_id = 30433642").fetchone()[0]
    assert linked == 0


def test_incident_minutes_of_the_recorded_incident(built) -> None:
    """PagerDuty's example incident PT4KHLK: created 2015-10-06T21:30:42Z, resolved
    21:38:23Z → 461 s = 7.6833 minutes to resolve; its one log entry is a trigger, and it
    lists no acknowledgements, so it has no acknowledgement time."""
    con, _ = built
    row = con.execute("select time_to_resolve_minutes, acknowledged_at from "
                      "marts.fct_incidents where incident_id = 'PT4KHLK'").fetchone()
    assert row is not None
    assert row[0] == pytest.approx(461 / 60) and row[1] is None


def test_prometheus_documentation_example_lands_point_by_point(built) -> None:
    con, _ = built
    rows = con.execute("select series, epoch_ms(ts), value from raw_signals.samples "
                       "where metric = 'up' order by series, ts").fetchall()
    assert rows == [
        ("instance=localhost:9090,job=prometheus", 1435781430781, 1.0),
        ("instance=localhost:9090,job=prometheus", 1435781445781, 1.0),
        ("instance=localhost:9090,job=prometheus", 1435781460781, 1.0),
        ("instance=localhost:9091,job=node", 1435781430781, 0.0),
        ("instance=localhost:9091,job=node", 1435781445781, 0.0),
        ("instance=localhost:9091,job=node", 1435781460781, 1.0),
    ]


def test_mrr_of_the_recorded_stripe_subscription_by_hand(built) -> None:
    """Stripe's recorded subscription sub_1Pgc6rB7WZ01zgkWNy0Cn5nw of cus_QXg1o8vcGmoR32: one
    item, quantity 1, price price_1PgafmB7WZ01zgkW6dKueIc5 = 20.00 USD a month (interval
    month, count 1), no lookup key and no plan metadata -> plan key = product
    prod_QXg1hqf4jFNsqG.

    Invoice in_1Pgc6tB7WZ01zgkWu9fdqL6I, period 2024-07-26 -> 08-26: subtotal 20.00, no
    discount, no tax, total excluding tax 20.00.
      MRR = 20.00 x 1 (quantity) x 20.00 / 20.00 (discounts kept, tax out) / 1 (monthly)
          = 20.00; the period covers the end of July 2024.
    Renewal, period 2024-08-26 -> 09-26: subtotal 20.00, coupon 25.5 % off = 5.10, taxable
    14.90, VAT 19 % exclusive = 2.831 -> 2.83 on top, total 17.73, total excl. tax 14.90.
      MRR = 20.00 x 1 x 14.90 / 20.00 / 1 = 14.90 (not 17.73: tax is not revenue; not 20.00:
          the discount is kept); the period covers the end of August 2024.
    No invoice covers the end of September 2024: MRR 0, the 14.90 churns.
    Movements: July new 20.00; August contraction 5.10; September churn 14.90."""
    con, _ = built
    lines = con.execute(
        "select invoice_id, plan_key, plan_id, mrr_amount "
        "from intermediate.int_revenue__recurring_lines where customer_id = ? "
        "order by period_start_at", [RECORDED_CUSTOMER]).fetchall()
    assert lines == [
        ("in_1Pgc6tB7WZ01zgkWu9fdqL6I", RECORDED_PLAN, RECORDED_PLAN, Decimal("20.00")),
        ("in_breadcrumbs_renewal", RECORDED_PLAN, RECORDED_PLAN, Decimal("14.90"))]
    taxes = con.execute(
        "select i.invoice_id, i.total_cents, i.total_excluding_tax_cents, t.tax_cents, "
        "t.tax_behavior from staging.stg_revenue__invoice_taxes as t "
        "inner join staging.stg_revenue__invoices as i "
        "on t.invoice_row_key = i.invoice_row_key where i.customer_id = ?",
        [RECORDED_CUSTOMER]).fetchall()
    assert taxes == [("in_breadcrumbs_renewal", 1773, 1490, 283, "exclusive")]
    # MRR per plan: in 2024 only the recorded account has revenue (the scenario starts 2026)
    by_plan = con.execute(
        "select month_start, plan_id, mrr_amount from marts.fct_mrr_monthly "
        "where month_start < date '2025-01-01' and plan_id != 'all' "
        "and mrr_amount <> 0 order by month_start").fetchall()
    assert by_plan == [(date(2024, 7, 1), RECORDED_PLAN, Decimal("20.00")),
                       (date(2024, 8, 1), RECORDED_PLAN, Decimal("14.90"))]
    # MRR per customer, with the movements it makes
    moves = con.execute(
        "select month_start, plan_id, mrr_amount, new_mrr, contraction_mrr, churned_mrr "
        "from marts.fct_mrr_movements where customer_id = ? "
        "and month_start < date '2024-10-01' order by month_start",
        [RECORDED_CUSTOMER]).fetchall()
    assert moves == [
        (date(2024, 7, 1), RECORDED_PLAN, Decimal("20.00"), Decimal("20.00"), 0, 0),
        (date(2024, 8, 1), RECORDED_PLAN, Decimal("14.90"), 0, Decimal("5.10"), 0),
        (date(2024, 9, 1), RECORDED_PLAN, 0, 0, 0, Decimal("14.90"))]

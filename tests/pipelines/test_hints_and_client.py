"""Column hints cover the API examples; the HTTP client's guards and retry arithmetic."""

from __future__ import annotations

import pytest

from breadcrumbs.simulator.api import github_shapes as shapes
from pipelines.ci import settings as ci
from pipelines.common import (
    ApiClient,
    RetryPolicy,
    SourceConfigError,
    SourceHTTPError,
    bearer,
    github_pages,
)
from pipelines.common.validate import record_problem
from pipelines.github import settings as gh
from pipelines.incidents import settings as pd
from pipelines.revenue import settings as st
from pipelines.signals import settings as sig
from tests.fixtures import api_examples as ex
from tests.fixtures.small_world import TOKENS

TABLES = [
    (ex.GITHUB_PULL_REQUEST, gh.PULL_REQUEST_COLUMNS),
    (ex.GITHUB_PULL_REQUEST_REVIEW, gh.REVIEW_COLUMNS),
    (ex.GITHUB_COMMIT, gh.PULL_REQUEST_COMMIT_COLUMNS),
    (ex.GITHUB_COMMIT, gh.COMMIT_COLUMNS),
    (ex.GITHUB_DEPLOYMENT, gh.DEPLOYMENT_COLUMNS),
    (ex.GITHUB_DEPLOYMENT_STATUS, gh.DEPLOYMENT_STATUS_COLUMNS),
    (ex.GITHUB_RELEASE, gh.RELEASE_COLUMNS),
    (ex.GITHUB_WORKFLOW_RUN, ci.WORKFLOW_RUN_COLUMNS),
    (ex.GITHUB_WORKFLOW_JOB, ci.WORKFLOW_JOB_COLUMNS),
    (ex.PAGERDUTY_INCIDENT, pd.INCIDENT_COLUMNS),
    (ex.PAGERDUTY_LOG_ENTRY, pd.LOG_ENTRY_COLUMNS),
    (ex.STRIPE_CUSTOMER, st.CUSTOMER_COLUMNS),
    (ex.STRIPE_SUBSCRIPTION, st.SUBSCRIPTION_COLUMNS),
    (ex.STRIPE_INVOICE, st.INVOICE_COLUMNS),
    (ex.STRIPE_CREDIT_NOTE, st.CREDIT_NOTE_COLUMNS),
    (ex.STRIPE_PRICE, st.PRICE_COLUMNS),
]


def flattened(record: dict, prefix: str = "") -> set[str]:
    """dlt's column names for a record's scalar fields (lists become child tables)."""
    names: set[str] = set()
    for key, value in record.items():
        if isinstance(value, dict):
            names |= flattened(value, f"{prefix}{key}__")
        elif not isinstance(value, list):
            names.add(prefix + key)
    return names


@pytest.mark.parametrize(("record", "hints"), TABLES)
def test_every_flattened_field_has_a_type_hint(record: dict, hints: dict) -> None:
    missing = flattened(record) - set(hints)
    # a null nested object (Stripe's `transform_quantity`) is hinted through its children
    assert not {m for m in missing if not any(h.startswith(f"{m}__") for h in hints)}
    assert all(h["data_type"] and "nullable" in h for h in hints.values())


def test_signal_sample_columns() -> None:
    assert {k: v["data_type"] for k, v in sig.SAMPLE_COLUMNS.items()} == {
        "metric": "text", "series": "text", "service": "text", "feature": "text",
        "customer": "text", "ts": "timestamp", "value": "double"}


@pytest.mark.parametrize("url", ["ftp://api.example.com", "api.github.com", ""])
def test_only_http_base_urls(url: str) -> None:
    with pytest.raises(SourceConfigError, match="base_url must be an http"):
        ApiClient("github", url, bearer("t", "sources.github.access_token"))


def test_no_token_over_plain_http_to_other_hosts() -> None:
    auth = bearer("s3cret", "sources.github.access_token")
    with pytest.raises(SourceConfigError) as raised:
        ApiClient("github", "http://api.example.com", auth)
    assert "s3cret" not in str(raised.value) and "https" in str(raised.value)
    ApiClient("github", "http://localhost:1", auth)


def test_missing_token_is_a_config_error() -> None:
    with pytest.raises(SourceConfigError, match="set sources.revenue.api_key"):
        ApiClient("revenue", "https://api.stripe.com", bearer("", "sources.revenue.api_key"))


def test_links_to_other_hosts_are_not_followed(server) -> None:
    client = ApiClient("github", server.base_urls["github"],
                       bearer(TOKENS["github"], "sources.github.access_token"))
    with pytest.raises(SourceHTTPError, match="another host"):
        client.url("http://127.0.0.2:9/github/repos/acme/checkout/pulls")
    assert "Bearer" not in repr(client) and TOKENS["github"] not in repr(client.auth)


def test_connection_errors_are_retried_then_named(sleeps: list[float]) -> None:
    policy = RetryPolicy(max_retries=2, sleep=sleeps.append, jitter=lambda: 0.0)
    client = ApiClient("signals", "http://127.0.0.1:9", bearer("t", "sources.signals.bearer_token"),
                       policy=policy, timeout=(0.5, 0.5))
    with pytest.raises(SourceHTTPError) as raised:
        client.get_json("/api/v1/query_range")
    assert str(raised.value).startswith("signals: GET /api/v1/query_range failed with no response")
    assert sleeps == [0.25, 0.5]


def test_retry_waits() -> None:
    policy = RetryPolicy(clock=lambda: 1000.0, jitter=lambda: 1.0)
    assert policy.server_wait(429, {"Retry-After": "7"}) == 7.0
    assert policy.server_wait(403, {"X-RateLimit-Remaining": "0",
                                    "X-RateLimit-Reset": "1030"}) == 30.0
    assert policy.server_wait(503, {}) is None
    assert policy.backoff(0) == 0.5 and policy.backoff(10) == 60.0


def test_github_pages_follow_link_next(server, world) -> None:
    client = ApiClient("github", server.base_urls["github"],
                       bearer(TOKENS["github"], "sources.github.access_token"))
    pages = list(github_pages(client, "/repos/acme/checkout/commits", {"per_page": 5}))
    assert [len(p) for p in pages] == [5, 5, 2]
    # served in GitHub's full shape: the world's records plus the fields GitHub requires
    expected = shapes.with_fields("commits", world.repos["acme/checkout"].commits,
                                  "acme/checkout")
    assert sum(pages, []) == expected


def test_wrong_typed_field_is_named_with_its_record() -> None:
    problem = record_problem({"id": "PINC7", "incident_number": "101x"}, pd.INCIDENT_COLUMNS)
    assert problem == "record PINC7: field 'incident_number' is str '101x', expected bigint"
    assert record_problem({"id": "price_1", "transform_quantity": {"divide_by": 20}},
                          st.PRICE_COLUMNS) is None

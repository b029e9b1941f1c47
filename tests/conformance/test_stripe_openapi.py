"""Every response the revenue source requests from the simulator validates against Stripe's
OpenAPI description at the pinned version (`STRIPE_VERSION`): each endpoint, each page, the
`expand[]=data.product` of prices, an account with every optional part and one without.

The description is a trimmed copy (tests/fixtures/api_descriptions/stripe, see its README).
Validation is stricter than the description: an object may carry no property the trimmed copy
does not list, so a field the simulator invents (or one an older version had, like a line's
`price` or `proration`) fails instead of passing unchecked."""

from __future__ import annotations

import copy
import json
import sys

import pytest
from jsonschema import Draft7Validator

from tests.paths import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines.revenue.settings import PRICE_EXPAND, STRIPE_VERSION  # noqa: E402
from tests.fixtures.stripe_accounts import (  # noqa: E402
    bare_account,
    land_revenue,
    monthly_account,
)

SPEC = ROOT / "tests" / "fixtures" / "api_descriptions" / "stripe" / "openapi.spec3.trimmed.json"
LISTS = ("/v1/customers", "/v1/subscriptions", "/v1/invoices", "/v1/credit_notes", "/v1/prices")


def strict(node: object) -> object:
    """OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes "or null" (the meaning
    Stripe's description gives it, also with `enum` and `anyOf`), and every object that lists
    properties gets `additionalProperties: false`."""
    if isinstance(node, dict):
        out = {k: strict(v) for k, v in node.items() if k != "nullable"}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        if node.get("nullable") is True:
            return {"anyOf": [{"type": "null"}, out]}
        return out
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(SPEC.read_text())


@pytest.fixture(scope="module")
def validators(spec: dict) -> dict[str, Draft7Validator]:
    components = strict(spec["components"])
    out = {}
    for path in LISTS:
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        out[path] = Draft7Validator({**strict(schema["schema"]), "components": components})
    return out


def problems(validators: dict[str, Draft7Validator], path: str, body: object) -> list[str]:
    return [f"{path} {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validators[path].iter_errors(body)]


def validate_recording(validators, recorded) -> int:
    """Validate every recorded page; the number of pages validated."""
    pages = 0
    for url, headers, body in recorded.calls:
        path = url.split("?")[0]
        assert path in LISTS, f"the revenue source called {url}, which has no schema here"
        errors = problems(validators, path, body)
        assert not errors, "\n".join(errors[:15])
        assert headers.get("Stripe-Version") == STRIPE_VERSION, url
        pages += 1
    return pages


def test_spec_copy_is_the_pinned_version(spec: dict) -> None:
    assert spec["info"]["version"] == STRIPE_VERSION
    assert "18fa2cc768024b47789dc6fa243acd48478acac2" in spec["info"]["x-origin"]


def test_default_demo_responses_conform(validators, tmp_path, monkeypatch) -> None:
    from breadcrumbs.simulator.generate import generate
    from breadcrumbs.simulator.scenario import load_scenario

    world = generate(load_scenario(ROOT / "scenarios" / "small.yaml"))
    recorded = land_revenue(world, tmp_path / "wh.duckdb", monkeypatch)
    pages = validate_recording(validators, recorded)
    invoice_pages = recorded.of("/v1/invoices")
    assert len(invoice_pages) > 1, "the invoices list should span several pages"
    assert pages == len(recorded.calls) and {u.split("?")[0] for u, _, _ in recorded.calls} == \
        set(LISTS)
    # prices come with their product expanded, as requested
    price_urls = [u for u, _, _ in recorded.calls if u.startswith("/v1/prices")]
    assert all("expand%5B%5D=data.product" in u for u in price_urls), price_urls
    assert all(isinstance(p["product"], dict) for b in recorded.of("/v1/prices")
               for p in b["data"])
    assert PRICE_EXPAND == ("data.product",)


@pytest.mark.parametrize("account", ["lookup_keys", "no_lookup_keys", "taxed_inclusive",
                                     "taxed_exclusive", "bare"])
def test_account_variants_conform(account, validators, tmp_path, monkeypatch) -> None:
    world = {
        "lookup_keys": lambda: monthly_account(lookup_keys=True),
        "no_lookup_keys": lambda: monthly_account(lookup_keys=False),
        "taxed_inclusive": lambda: monthly_account(True, tax=2000, tax_inclusive=True),
        "taxed_exclusive": lambda: monthly_account(True, tax=2000),
        "bare": bare_account,
    }[account]()
    recorded = land_revenue(world, tmp_path / "wh.duckdb", monkeypatch)
    assert validate_recording(validators, recorded) == len(LISTS)


def test_the_validator_rejects_old_and_broken_shapes(validators, tmp_path,
                                                     monkeypatch) -> None:
    recorded = land_revenue(monthly_account(lookup_keys=True), tmp_path / "wh.duckdb",
                            monkeypatch)
    page = recorded.of("/v1/invoices")[0]
    assert not problems(validators, "/v1/invoices", page)

    old_line = copy.deepcopy(page)  # a pre-basil line: price, plan and proration on the line
    line = old_line["data"][0]["lines"]["data"][0]
    line["proration"] = False
    line["price"] = {"id": line["pricing"]["price_details"]["price"]}
    assert any("proration" in p for p in problems(validators, "/v1/invoices", old_line))

    missing = copy.deepcopy(page)  # a required field left out
    del missing["data"][0]["livemode"]
    assert any("livemode" in p for p in problems(validators, "/v1/invoices", missing))

    wrong = copy.deepcopy(page)  # a wrong type deep in a line
    wrong["data"][0]["lines"]["data"][0]["pricing"]["price_details"]["price"] = 42
    assert problems(validators, "/v1/invoices", wrong)

    item_periods = copy.deepcopy(recorded.of("/v1/subscriptions")[0])
    item_periods["data"][0]["current_period_end"] = 1  # pre-basil: period on the subscription
    assert any("current_period_end" in p
               for p in problems(validators, "/v1/subscriptions", item_periods))


def test_the_simulator_serves_the_pinned_version_only() -> None:
    import requests

    from breadcrumbs.simulator.server import serve

    world = monthly_account(lookup_keys=True)
    with serve(world) as server:
        url = f"{server.base_urls['revenue']}/v1/customers"
        auth = {"Authorization": f"Bearer {world.tokens['revenue']}"}
        pinned = requests.get(url, headers={**auth, "Stripe-Version": STRIPE_VERSION},
                              timeout=10)
        other = requests.get(url, headers={**auth, "Stripe-Version": "2024-06-20"}, timeout=10)
        unknown_expand = requests.get(url, params={"expand[]": "data.nope"}, headers=auth,
                                      timeout=10)
    assert pinned.status_code == 200 and len(pinned.json()["data"]) == 2
    refused = other.json()["error"]
    assert other.status_code == 400 and refused["message"] == \
        "Invalid Stripe API version: 2024-06-20"
    assert refused["param"] == "Stripe-Version"
    assert unknown_expand.status_code == 400

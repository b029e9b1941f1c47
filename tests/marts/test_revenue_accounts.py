"""Stripe accounts as real accounts send them, landed through the real revenue source and built
with `dbt build` of the revenue models and everything downstream (the rest of the warehouse is
the small scenario's demo).

- an account where every optional field and child list is absent builds green;
- an account on the pinned version with lookup keys, and one without any plan hint, both give
  MRR per plan; a price whose plan the seed does not list lands under plan `unmapped` and is
  reported in one log line naming the price and product;
- MRR excludes tax, inclusive and exclusive (hand-computed below)."""

from __future__ import annotations

import csv
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import run_dbt
from breadcrumbs.project import resolve_paths
from tests.fixtures.stripe_accounts import (
    FEB,
    bare_account,
    monthly_account,
    replace_revenue,
)
from tests.paths import ROOT

pytestmark = pytest.mark.system  # builds its own warehouses: make test-system

REVENUE_AND_DOWNSTREAM = ["build", "--select", "path:models/staging/revenue+",
                          "resource_type:seed", "--indirect-selection", "cautious"]


def seeds_with_plans(rows: list[dict[str, str]]) -> Path:
    """A copy of the committed seeds, in a project-relative folder under build/, with
    `plans.csv` replaced by `rows`."""
    folder = ROOT / "build" / f"test-revenue-{uuid.uuid4().hex[:8]}" / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    with open(folder / "plans.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, ["plan_id", "price_cents", "currency", "sla_availability"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


def build(small_warehouse: Path, world, tmp_path: Path, monkeypatch,
          seeds: Path | None = None) -> tuple[Path, str]:
    """Land `world` as raw_revenue of a copy of the small demo, build revenue + downstream."""
    warehouse = tmp_path / small_warehouse.name  # same file name: views name their catalog
    replace_revenue(small_warehouse, world, warehouse, monkeypatch)
    paths = resolve_paths(str(warehouse), root=ROOT)
    try:
        output = run_dbt(REVENUE_AND_DOWNSTREAM, paths, seeds_dir=seeds)
    finally:
        if seeds is not None:
            shutil.rmtree(seeds.parent, ignore_errors=True)
    return warehouse, output


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def mrr_by_plan(warehouse: Path, month: str) -> dict[str, Decimal]:
    return dict(query(warehouse, "select plan_id, mrr_amount from marts.fct_mrr_monthly "
                                 f"where month_start = date '{month}' and plan_id != 'all'"))


def test_an_account_without_any_optional_part_builds_green(small_warehouse, tmp_path,
                                                            monkeypatch) -> None:
    warehouse, output = build(small_warehouse, bare_account(), tmp_path, monkeypatch)
    assert "ERROR=0" in output.replace(" ", "")
    # the child tables that empty lists never create read as empty relations
    assert query(warehouse, "select count(*) from staging.stg_revenue__invoice_taxes") == [(0,)]
    assert query(warehouse, "select count(*) from staging.stg_revenue__credit_notes") == [(0,)]
    # optional fields read as NULL
    assert query(warehouse, "select distinct price_lookup_key, price_metadata_plan, "
                            "product_metadata_plan from staging.stg_revenue__prices") == [
        (None, None, None)]
    assert query(warehouse, "select count(*), count(email_key), count(customer_name) "
                            "from staging.stg_revenue__customers") == [(2, 0, 0)]
    assert query(warehouse, "select count(*), count(quantity), count(price_id) "
                            "from staging.stg_revenue__invoice_lines") == [(2, 0, 0)]
    assert query(warehouse, "select count(*), count(subscription_id), "
                            "count(total_excluding_tax_cents) "
                            "from staging.stg_revenue__invoices") == [(2, 0, 0)]
    # lines without a parent or pricing are not recurring revenue: no MRR, nothing unmapped
    assert query(warehouse, "select count(*) from intermediate.int_revenue__recurring_lines"
                 ) == [(0,)]


def test_lookup_keys_and_exclusive_tax_give_mrr_per_plan(small_warehouse, tmp_path,
                                                         monkeypatch) -> None:
    # customer A: 3 seats x 199.00 = 597.00, exclusive tax 20.00 on top (total 617.00):
    #   MRR 597.00 (team); customer B: 1 x 1,500.00 + 20.00 tax: MRR 1,500.00 (enterprise)
    world = monthly_account(lookup_keys=True, tax=2000)
    warehouse, output = build(small_warehouse, world, tmp_path, monkeypatch)
    assert mrr_by_plan(warehouse, "2026-02-01") == {"team": Decimal("597.00"),
                                                    "enterprise": Decimal("1500.00")}
    assert "is not in seeds/plans.csv" not in output
    lines = query(warehouse, "select plan_key, plan_id, mrr_amount "
                             "from intermediate.int_revenue__recurring_lines "
                             f"where period_start_at = to_timestamp({FEB})::timestamp "
                             "order by plan_id")
    assert lines == [("enterprise", "enterprise", Decimal("1500.00")),
                     ("team", "team", Decimal("597.00"))]


def test_no_lookup_keys_inclusive_tax_and_an_unmapped_price(small_warehouse, tmp_path,
                                                           monkeypatch) -> None:
    # no lookup key, no metadata anywhere: the plan key is the product id. plans.csv lists
    # prod_TEAM only. Inclusive tax of 20.00 per invoice is part of the price:
    #   A: 597.00 x (577.00 / 597.00) = 577.00 (prod_TEAM)
    #   B: 1,500.00 x (1,480.00 / 1,500.00) = 1,480.00, unmapped (prod_SCALE is not listed)
    world = monthly_account(lookup_keys=False, tax=2000, tax_inclusive=True)
    seeds = seeds_with_plans([
        {"plan_id": "prod_TEAM", "price_cents": "19900", "currency": "usd",
         "sla_availability": ""},
        {"plan_id": "enterprise", "price_cents": "150000", "currency": "usd",
         "sla_availability": "0.999"},
        {"plan_id": "starter", "price_cents": "4900", "currency": "usd",
         "sla_availability": ""},
        {"plan_id": "team", "price_cents": "19900", "currency": "usd", "sla_availability": ""},
    ])
    warehouse, output = build(small_warehouse, world, tmp_path, monkeypatch, seeds)
    assert mrr_by_plan(warehouse, "2026-02-01") == {"prod_TEAM": Decimal("577.00"),
                                                    "unmapped": Decimal("1480.00")}
    reports = [line for line in output.splitlines() if "is not in seeds/plans.csv" in line]
    assert len(reports) == 1, output[-3000:]
    assert "price_SCALE" in reports[0] and "prod_SCALE" in reports[0]
    assert "WARN" in output and "warn_unmapped_plan_lines" in output


def recorded_account():
    """Stripe's recorded example objects (tests/fixtures/recordings/stripe/, see its README),
    served verbatim; the invoice's placeholder subscription reference points at the recorded
    subscription."""
    from tests.fixtures.stripe_accounts import stripe_world
    from tests.fixtures.stripe_recordings import objects

    recorded = objects()
    invoice, subscription = recorded["invoice"], recorded["subscription"]
    invoice["parent"]["subscription_details"]["subscription"] = subscription["id"]
    price = dict(recorded["price"], product=recorded["product"])  # expand[]=data.product
    return stripe_world([recorded["customer"]], [subscription], [invoice], [price])


def test_recorded_stripe_objects_build_with_hand_checked_values(small_warehouse, tmp_path,
                                                                monkeypatch) -> None:
    warehouse, _ = build(small_warehouse, recorded_account(), tmp_path, monkeypatch)
    # the recorded invoice: a draft with one invoice-item line of 10.00 (USD cents 1000)
    assert query(warehouse, "select invoice_id, status, subtotal_cents, total_cents, "
                            "total_excluding_tax_cents, subscription_id "
                            "from staging.stg_revenue__invoices") == [
        ("in_1Pgc6tB7WZ01zgkWu9fdqL6I", "draft", 1000, 1000, 1000,
         "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw")]
    assert query(warehouse, "select amount_cents, quantity, parent_type, is_proration "
                            "from staging.stg_revenue__invoice_lines") == [
        (1000, 1, "invoice_item_details", True)]
    # the recorded subscription: one item, 1 x 20.00 a month, price without a lookup key
    assert query(warehouse, "select quantity, unit_amount_cents, recurring_interval, "
                            "price_lookup_key, product_id "
                            "from staging.stg_revenue__subscription_items") == [
        (1, 2000, "month", None, "prod_QXg1hqf4jFNsqG")]
    assert query(warehouse, "select price_id, product_name from staging.stg_revenue__prices"
                 ) == [("price_1PgafmB7WZ01zgkW6dKueIc5", "T-shirt")]
    # hand rule: MRR counts recurring lines of paid or open invoices; a draft invoice's
    # invoice-item line is neither, so this account has no MRR and nothing unmapped
    assert query(warehouse, "select count(*) from intermediate.int_revenue__recurring_lines"
                 ) == [(0,)]

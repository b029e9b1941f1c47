"""Revenue rules that need a whole warehouse: a second currency fails the build loudly."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import DbtError, run_dbt
from breadcrumbs.project import resolve_paths
from tests.paths import ROOT

pytestmark = pytest.mark.system  # builds its own warehouses: make test-system


def test_mixed_currency_fails_naming_the_invoice(small_warehouse: Path, tmp_path: Path) -> None:
    # same file name: dbt-duckdb views name their catalog after the file
    warehouse = tmp_path / small_warehouse.name
    shutil.copy(small_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    line_id, = con.execute(
        "select id from raw_revenue.invoices__lines__data where amount > 0 order by id limit 1"
    ).fetchone()
    con.execute("update raw_revenue.invoices__lines__data set currency = 'eur' where id = ?",
                [line_id])
    con.close()
    paths = resolve_paths(str(warehouse), root=ROOT)
    # the next build picks the landed line up (intermediate models are tables)
    run_dbt(["run", "--select", "int_revenue__recurring_lines"], paths)
    run_dbt(["test", "--select", "assert_mrr_identity_holds"], paths)  # the rest still builds
    with pytest.raises(DbtError) as failure:
        run_dbt(["test", "--select", "assert_single_currency", "--store-failures"], paths)
    assert "assert_single_currency" in str(failure.value)
    con = duckdb.connect(str(warehouse), read_only=True)
    failing = con.execute(
        "select invoice_line_id, currency, expected_currency "
        "from dbt_test__audit.assert_single_currency"
    ).fetchall()
    con.close()
    assert failing == [(line_id, "eur", "usd")]

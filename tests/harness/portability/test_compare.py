"""The engine comparison of `make test-postgres` and `make test-spark`: exact except doubles
(1e-9 relative), columns matched by name."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from harness.portability.compare import (
    compare_extra_relations,
    compare_table,
    verdict,
)

COLUMNS = ["metric_id", "period_start", "mrr", "value"]
DAY = dt.date(2026, 3, 2)


def table(*rows: tuple) -> tuple[list[str], list[tuple]]:
    return COLUMNS, list(rows)


def test_same_rows_in_another_order_and_float_noise_match() -> None:
    duck = table(("mrr", DAY, Decimal("10.50"), 0.1 + 0.2), ("churn", DAY, None, None))
    pg = table(("churn", DAY, None, None), ("mrr", DAY, Decimal("10.5"), 0.3))
    assert compare_table("metrics.metric_values", duck, pg).ok


def test_a_double_off_by_more_than_1e_9_relative_differs() -> None:
    diff = compare_table("t", table(("mrr", DAY, Decimal("1"), 1.0)),
                         table(("mrr", DAY, Decimal("1"), 1.0 + 1e-8)))
    assert not diff.ok and "value" in diff.problems[0]


def test_decimals_counts_and_nulls_are_exact() -> None:
    assert not compare_table("t", table(("mrr", DAY, Decimal("1.00"), 1.0)),
                             table(("mrr", DAY, Decimal("1.01"), 1.0))).ok
    assert not compare_table("t", table(("mrr", DAY, None, 1.0)),
                             table(("mrr", DAY, Decimal("0"), 1.0))).ok


def test_missing_rows_and_columns_are_reported() -> None:
    diff = compare_table("t", table(("a", DAY, None, 1.0), ("b", DAY, None, 2.0)),
                         table(("a", DAY, None, 1.0)))
    assert "row counts differ: 2 vs 1" in diff.problems[0]
    renamed = compare_table("t", table(), (["metric_id", "period", "mrr", "value"], []))
    assert "columns differ" in renamed.problems[0]


def test_timestamps_with_a_time_zone_compare_in_utc() -> None:
    utc = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    paris = utc.astimezone(dt.timezone(dt.timedelta(hours=1)))
    left = (["at"], [(utc.replace(tzinfo=None),)])
    assert compare_table("t", left, (["at"], [(paris,)])).ok


def test_columns_are_matched_by_name_not_position() -> None:
    # Spark moves a table's partition columns to the end
    spark = (["metric_id", "mrr", "value", "period_start"], [("mrr", Decimal("1"), 2.0, DAY)])
    assert compare_table("t", table(("mrr", DAY, Decimal("1"), 2.0)), spark).ok
    moved_wrong = (["metric_id", "mrr", "value", "period_start"],
                   [("mrr", Decimal("1"), 2.0, dt.date(2026, 3, 9))])
    assert not compare_table("t", table(("mrr", DAY, Decimal("1"), 2.0)), moved_wrong).ok


def test_the_largest_double_difference_is_measured() -> None:
    diff = compare_table("t", table(("a", DAY, None, 100.0), ("b", DAY, None, 0.0)),
                         table(("a", DAY, None, 100.0 + 1e-8), ("b", DAY, None, 0.0)))
    assert diff.ok
    assert math.isclose(diff.max_abs_diff, 1e-8, rel_tol=1e-3)
    assert math.isclose(diff.max_rel_diff, 1e-10, rel_tol=1e-3)


def test_the_verdict_needs_metric_values_and_every_table_on_both_sides() -> None:
    values = compare_table("metrics.metric_values", table(("a", DAY, None, 1.0)),
                           table(("a", DAY, None, 1.0)))
    both = {("metrics", "metric_values")}
    passed, report = verdict("spark", [values], both, both)
    assert passed and "metric_values 1 rows" in report
    assert not verdict("spark", [values], both | {("marts", "fct_x")}, both)[0]
    other = compare_table("marts.fct_x", table(), table())
    assert not verdict("spark", [other], {("marts", "fct_x")}, {("marts", "fct_x")})[0]


def test_cloud_cost_landing_and_staging_are_compared_without_load_stamps() -> None:
    def engine(load_id: str, cost: str):
        def fetch(schema: str, table: str) -> tuple[list[str], list[tuple]]:
            if schema == "raw_cloud_cost":
                return ["billed_cost", "_dlt_load_id", "_dlt_id"], [(Decimal(cost), load_id, "x")]
            return ["billed_cost", "load_id", "loaded_at"], [(Decimal(cost), load_id, load_id)]
        return fetch

    same_data = compare_extra_relations(engine("1.1", "2.5"), engine("2.2", "2.50"))
    assert [d.table for d in same_data] == ["raw_cloud_cost.charges",
                                            "staging.stg_cloud_cost__charges"]
    assert all(d.ok for d in same_data)
    assert not any(d.ok for d in compare_extra_relations(engine("1", "2.5"), engine("1", "2.6")))

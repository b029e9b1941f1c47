"""The cloud_cost source: FOCUS exports (CSV, CSV.GZ, Parquet) from a folder into
raw_cloud_cost.charges, file by file, a re-delivered billing period replacing its rows; bad
files refused whole with file, row and fix; the FinOps Foundation's sample through the same
source."""

from __future__ import annotations

import csv
import gzip
import io
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from breadcrumbs.ingest import ingest
from pipelines.common import SourceError
from tests.fixtures.example_warehouse import FOCUS_SAMPLES

HEADER = ("BillingAccountId", "ProviderName", "BillingPeriodStart", "BillingPeriodEnd",
          "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost", "ListCost",
          "ContractedCost", "BillingCurrency", "ChargeCategory", "ServiceCategory",
          "ServiceName", "ResourceId", "ConsumedQuantity", "ConsumedUnit", "Tags")
PERIODS = {"2026-05": ("2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z"),
           "2026-06": ("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z")}


def charge(month: str, day: int, cost: str, service: str | None = "checkout", **extra: str
           ) -> dict[str, str]:
    start, end = PERIODS[month]
    row = {"BillingAccountId": "123456789012", "ProviderName": "AWS",
           "BillingPeriodStart": start, "BillingPeriodEnd": end,
           "ChargePeriodStart": f"{month}-{day:02d}T00:00:00Z",
           "ChargePeriodEnd": f"{month}-{day + 1:02d}T00:00:00Z", "BilledCost": cost,
           "EffectiveCost": cost, "ListCost": cost, "ContractedCost": cost,
           "BillingCurrency": "USD", "ChargeCategory": "Usage", "ServiceCategory": "Compute",
           "ServiceName": "Amazon Elastic Compute Cloud", "ResourceId": f"i-{day}",
           "ConsumedQuantity": "24", "ConsumedUnit": "Hours",
           "Tags": f'{{"service": "{service}"}}' if service else ""}
    row.update(extra)
    return row


def csv_bytes(rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def deliver(path: Path, body: bytes, stamp: float) -> None:
    """Write a file as a provider would, with the given modification time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    os.utime(path, (stamp, stamp))


def load(warehouse: Path, bucket: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("SOURCES__CLOUD_COST__BUCKET_URL", str(bucket))
    return ingest(warehouse, sources=["cloud_cost"])


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def totals(warehouse: Path) -> list[tuple]:
    return query(warehouse, "select strftime(billing_period_start, '%Y-%m'), count(*), "
                            "sum(billed_cost) from raw_cloud_cost.charges group by 1 order by 1")


@pytest.fixture
def bucket(tmp_path: Path) -> Path:
    folder = tmp_path / "bucket"
    folder.mkdir()
    return folder


def test_csv_gzip_and_parquet_land_typed_rows(warehouse: Path, bucket: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    deliver(bucket / "may" / "part-0.csv", csv_bytes([charge("2026-05", 1, "1.5"),
                                                      charge("2026-05", 2, "2.25")]), 1e9)
    deliver(bucket / "june" / "part-0.csv.gz",
            gzip.compress(csv_bytes([charge("2026-06", 1, "10.000000001", None)])), 1e9)
    table = pa.table({
        "BillingAccountId": ["999999999999"], "ProviderName": ["Microsoft"],
        "BillingPeriodStart": pa.array([pa.scalar(1780272000, pa.timestamp("s", "UTC"))
                                        .as_py()]),
        "BillingPeriodEnd": pa.array([pa.scalar(1782864000, pa.timestamp("s", "UTC")).as_py()]),
        "ChargePeriodStart": ["2026-06-03T00:00:00+02:00"],
        "ChargePeriodEnd": ["2026-06-04T00:00:00+02:00"],
        "BilledCost": pa.array([Decimal("4.5")], pa.decimal128(12, 4)),
        "EffectiveCost": [4.5], "ListCost": [5.0], "ContractedCost": [4.75],
        "BillingCurrency": ["eur"], "ChargeCategory": ["Usage"],
        "ServiceCategory": ["Storage"], "ServiceName": ["Storage Accounts"],
        "Tags": pa.array([[("service", "search"), ("team", "platform")]],
                         pa.map_(pa.string(), pa.string())),
        "x_SkuMeterName": ["LRS Data Stored"],
    })
    sink = io.BytesIO()
    pq.write_table(table, sink)
    deliver(bucket / "azure" / "focus.parquet", sink.getvalue(), 1e9)
    deliver(bucket / "manifest.json", b"{}", 1e9)  # not an export: ignored

    loaded = load(warehouse, bucket, monkeypatch)

    assert loaded == {"raw_cloud_cost.charges": 4}
    rows = query(warehouse, "select source_file, source_row, provider_name, billed_cost, "
                            "billing_currency, tags, charge_period_start, x_sku_meter_name "
                            "from raw_cloud_cost.charges order by source_file, source_row")
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("azure/focus.parquet", 1, "Microsoft", Decimal("4.500000000"), "EUR",
         '{"service": "search", "team": "platform"}'),
        ("june/part-0.csv.gz", 1, "AWS", Decimal("10.000000001"), "USD", None),
        ("may/part-0.csv", 1, "AWS", Decimal("1.500000000"), "USD", '{"service": "checkout"}'),
        ("may/part-0.csv", 2, "AWS", Decimal("2.250000000"), "USD", '{"service": "checkout"}'),
    ]
    # an offset date-time is the same instant in UTC; an extra column lands as text
    assert rows[0][6].astimezone().utctimetuple()[:4] == (2026, 6, 2, 22)
    assert rows[0][7] == "LRS Data Stored" and rows[1][7] is None


def test_a_restated_month_replaces_its_rows_and_an_unchanged_file_is_not_read_again(
        warehouse: Path, bucket: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    may = bucket / "billing_period=2026-05" / "acme-focus-2026-05.csv.gz"
    june = bucket / "billing_period=2026-06" / "acme-focus-2026-06.csv.gz"
    deliver(may, gzip.compress(csv_bytes([charge("2026-05", d, "10") for d in (1, 2, 3)])), 1e9)
    deliver(june, gzip.compress(csv_bytes([charge("2026-06", 1, "7")])), 1e9)
    load(warehouse, bucket, monkeypatch)
    assert totals(warehouse) == [("2026-05", 3, Decimal("30")), ("2026-06", 1, Decimal("7"))]

    assert load(warehouse, bucket, monkeypatch) == {}  # nothing changed: nothing read

    # the provider restates May (one row corrected, one dropped) and June grows by a day
    deliver(may, gzip.compress(csv_bytes([charge("2026-05", 1, "10"),
                                          charge("2026-05", 2, "10.4")])), 1e9 + 3600)
    deliver(june, gzip.compress(csv_bytes([charge("2026-06", 1, "7"),
                                           charge("2026-06", 2, "8")])), 1e9 + 3600)
    assert load(warehouse, bucket, monkeypatch) == {"raw_cloud_cost.charges": 4}
    assert totals(warehouse) == [("2026-05", 2, Decimal("20.4")),
                                 ("2026-06", 2, Decimal("15"))]


def test_a_period_split_in_parts_is_rebuilt_whole_when_one_part_changes(
        warehouse: Path, bucket: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deliver(bucket / "2026-05" / "part-0.csv", csv_bytes([charge("2026-05", 1, "1")]), 1e9)
    deliver(bucket / "2026-05" / "part-1.csv", csv_bytes([charge("2026-05", 2, "2")]), 1e9)
    load(warehouse, bucket, monkeypatch)
    deliver(bucket / "2026-05" / "part-1.csv", csv_bytes([charge("2026-05", 2, "5")]), 2e9)
    assert load(warehouse, bucket, monkeypatch) == {"raw_cloud_cost.charges": 2}
    assert totals(warehouse) == [("2026-05", 2, Decimal("6"))]
    # another account's rows of the same month are not touched by this account's restatement
    deliver(bucket / "other.csv", csv_bytes([charge("2026-05", 3, "100",
                                                    BillingAccountId="210987654321")]), 3e9)
    load(warehouse, bucket, monkeypatch)
    assert totals(warehouse) == [("2026-05", 3, Decimal("106"))]


@pytest.mark.parametrize(("body", "message"), [
    (csv_bytes([charge("2026-05", 1, "1"), charge("2026-05", 2, "abc")]),
     "cloud_cost: bad.csv row 2: BilledCost 'abc' is not a number"),
    (csv_bytes([charge("2026-05", 1, "1", ChargePeriodStart="yesterday")]),
     "cloud_cost: bad.csv row 1: ChargePeriodStart 'yesterday' is not an ISO 8601 date-time"),
    (csv_bytes([charge("2026-05", 1, "1", BillingCurrency="XXY")]),
     "cloud_cost: bad.csv row 1: BillingCurrency 'XXY' is not an ISO 4217 currency code "
     "(e.g. USD, EUR) — fix the export (or move the file out of the bucket) and run again"),
    (csv_bytes([charge("2026-05", 1, "1", Tags="service=checkout")]),
     "cloud_cost: bad.csv row 1: Tags 'service=checkout' is not a JSON object of tags"),
    (csv_bytes([charge("2026-05", 1, "1", EffectiveCost="")]),
     "cloud_cost: bad.csv row 1: EffectiveCost is empty (FOCUS requires a value) — fix the "
     "export (or move the file out of the bucket) and run again"),
    (csv_bytes([charge("2026-05", 1, "1")], HEADER[:6] + HEADER[8:]),
     "cloud_cost: bad.csv: missing required FOCUS column(s) BilledCost, EffectiveCost — "
     "export FOCUS 1.0 or later with every mandatory column (docs/sources/cloud_cost.md)"),
    (b"\x1f\x8bnot gzip at all",
     "cloud_cost: bad.csv: cannot be read as UTF-8 CSV (UnicodeDecodeError"),
])
def test_a_bad_file_is_refused_whole_and_landed_data_stays(
        warehouse: Path, bucket: Path, monkeypatch: pytest.MonkeyPatch, body: bytes,
        message: str) -> None:
    deliver(bucket / "good.csv", csv_bytes([charge("2026-05", 1, "3")]), 1e9)
    load(warehouse, bucket, monkeypatch)
    # the bad file restates the same month: nothing of it may replace the landed rows
    deliver(bucket / "bad.csv", body, 2e9)
    with pytest.raises(SourceError) as raised:
        load(warehouse, bucket, monkeypatch)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert totals(warehouse) == [("2026-05", 1, Decimal("3"))]
    # fixed: the file is read (the failed run did not record it as seen)
    deliver(bucket / "bad.csv", csv_bytes([charge("2026-05", 9, "4")]), 3e9)
    assert load(warehouse, bucket, monkeypatch) == {"raw_cloud_cost.charges": 2}
    assert totals(warehouse) == [("2026-05", 2, Decimal("7"))]


def test_an_empty_folder_lands_an_empty_table(warehouse: Path, bucket: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert load(warehouse, bucket, monkeypatch) == {}
    assert query(warehouse, "select count(*) from raw_cloud_cost.charges") == [(0,)]
    columns = {r[0] for r in query(warehouse, "select column_name from "
                                              "information_schema.columns where table_schema "
                                              "= 'raw_cloud_cost' and table_name = 'charges'")}
    assert {"billed_cost", "effective_cost", "tags", "source_file"} <= columns


def test_an_unset_bucket_is_named_with_its_setting(warehouse: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCES__CLOUD_COST__BUCKET_URL", raising=False)
    with pytest.raises(Exception) as raised:
        ingest(warehouse, sources=["cloud_cost"])
    assert str(raised.value) == ("cloud_cost: missing configuration sources.cloud_cost."
                                 "bucket_url (env SOURCES__CLOUD_COST__BUCKET_URL)")


def test_the_finops_foundation_sample_loads(warehouse: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """40 rows of FOCUS-Sample-Data (AWS, Microsoft, Oracle; NULL literals, naive times, an
    extra `Id` column, empty ContractedCost, credits): every row lands, costs to the digit."""
    sample = FOCUS_SAMPLES / "focus_sample_slice.csv"
    with sample.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    loaded = load(warehouse, FOCUS_SAMPLES, monkeypatch)
    assert loaded == {"raw_cloud_cost.charges": len(rows)} == {"raw_cloud_cost.charges": 40}
    landed = query(warehouse, "select provider_name, count(*), sum(billed_cost), "
                              "count(tags), count(contracted_cost) from raw_cloud_cost.charges "
                              "group by 1 order by 1")
    expected = {}
    for row in rows:
        count, billed, tagged, contracted = expected.get(row["ProviderName"], (0, 0, 0, 0))
        expected[row["ProviderName"]] = (
            count + 1, billed + Decimal(row["BilledCost"]).quantize(Decimal("1e-9")),
            tagged + (row["Tags"] != "NULL"), contracted + (row["ContractedCost"] != "NULL"))
    assert landed == [(name, *values) for name, values in sorted(expected.items())]
    # naive FOCUS times are UTC; the sample's own row id lands as an extra column
    first = query(warehouse, "select billing_period_start, id from raw_cloud_cost.charges "
                             "where source_row = 1")
    assert first[0][0].utctimetuple()[:3] == (2024, 9, 1) and first[0][1] == rows[0]["Id"]

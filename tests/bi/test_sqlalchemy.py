"""The Superset / SQLAlchemy path of the README: duckdb-engine reflects and queries the marts."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.slow


def published_uri(path: Path) -> str:
    """The URI the README gives for Superset: read-only, so it never locks the file."""
    return f"duckdb:///{path}?access_mode=read_only"


def test_duckdb_engine_reflects_the_published_marts(small_warehouse: Path) -> None:
    published = small_warehouse.with_name(f"{small_warehouse.stem}_published.duckdb")
    engine = sa.create_engine(published_uri(published))
    try:
        inspector = sa.inspect(engine)
        # duckdb-engine names schemas `<catalog>.<schema>`; the catalog is the file's stem
        assert f"{published.stem}.marts" in inspector.get_schema_names()
        tables = set(inspector.get_table_names(schema="marts"))
        assert {"fct_slo_daily", "fct_mrr_monthly", "fct_mrr_monthly_org", "fct_deployments",
                "fct_delivery_team_weekly"} <= tables
        columns = {c["name"]: c for c in inspector.get_columns("fct_mrr_monthly", schema="marts")}
        assert {"plan_id", "month_start", "mrr_amount"} <= set(columns)
        # dbt descriptions reach the BI tool (persist_docs → DuckDB comments → reflection)
        assert all(c["comment"] for c in columns.values())
        assert inspector.get_table_comment("fct_mrr_monthly", schema="marts")["text"]

        metadata = sa.MetaData()
        mrr = sa.Table("fct_mrr_monthly", metadata, schema="marts", autoload_with=engine)
        org = sa.Table("fct_mrr_monthly_org", metadata, schema="marts", autoload_with=engine)
        by_month = sa.select(org.c.month_start, org.c.mrr_amount).order_by(org.c.month_start)
        # a BI SUM over the plan table is the organisation's total: no org rows to double it
        plan_sums = (sa.select(mrr.c.month_start, sa.func.sum(mrr.c.mrr_amount))
                     .group_by(mrr.c.month_start).order_by(mrr.c.month_start))
        with engine.connect() as connection:
            org_rows = [tuple(r) for r in connection.execute(by_month)]
            assert org_rows and all(total > 0 for _, total in org_rows)
            assert [tuple(r) for r in connection.execute(plan_sums)] == org_rows
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                connection.execute(sa.text("create table marts.scratch (x int)"))
    finally:
        engine.dispose()

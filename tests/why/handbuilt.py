"""Hand-built warehouses for walks over a few metrics: only the tables `why` reads (catalog,
edges, status, values), so a test states the numbers that decide the walk and nothing else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from breadcrumbs.why.settings import walk_settings


@dataclass(frozen=True)
class Catalog:
    metric_id: str
    label: str
    unit: str
    direction: str
    grain: str
    entity_type: str
    threshold_amber: float | None = None
    threshold_red: float | None = None
    driver_lag_days: int | None = None  # a windowed metric: how far back its drivers may lead
    customer_movement: str | None = None  # the catalog's counted movement (churned, ...)


@dataclass(frozen=True)
class Status:
    metric_id: str
    entity_type: str
    entity_id: str
    period_start: dt.date
    period_end: dt.date
    value: float
    baseline: float
    z: float
    status: str
    count_z: float | None = None
    adverse_z: float | None = None
    is_complete: bool | None = None  # default: every status but `incomplete`


def handbuilt_warehouse(path: Path, catalog: list[Catalog],
                        edges: list[tuple[str, str, str, str]], status: list[Status]) -> Path:
    """A DuckDB file with schema `metrics`; edges are (metric, driver, edge, sign)."""
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        "create table metrics.metric_catalog (metric_id varchar, label varchar, unit varchar, "
        "direction varchar, grain varchar, red_z double, threshold_amber double, "
        "threshold_red double, entity_type varchar, lag_days integer, driver_lag_days integer, "
        "customer_movement varchar)"
    )
    lags = walk_settings().lag_days  # as metric_catalog.sql computes lag_days
    con.executemany(
        "insert into metrics.metric_catalog values (?, ?, ?, ?, ?, 3.0, ?, ?, ?, ?, ?, ?)",
        [[c.metric_id, c.label, c.unit, c.direction, c.grain, c.threshold_amber,
          c.threshold_red, c.entity_type, max(lags[c.grain], c.driver_lag_days or 0),
          c.driver_lag_days, c.customer_movement] for c in catalog],
    )
    con.execute(
        "create table metrics.metric_edges (metric_id varchar, driver_metric_id varchar, "
        "edge varchar, sign varchar)"
    )
    con.executemany("insert into metrics.metric_edges values (?, ?, ?, ?)",
                    [list(e) for e in edges])
    grains = {c.metric_id: c.grain for c in catalog}
    thresholds = {c.metric_id: c.threshold_red is not None for c in catalog}
    con.execute(
        """
        create table metrics.metric_status (
            metric_id varchar, entity_type varchar, entity_id varchar, period_start date,
            period_end date, grain varchar, value double, baseline_median double,
            z_score double, count_z_score double, adverse_z_score double, status varchar,
            status_basis varchar, is_complete boolean
        )
        """
    )
    con.executemany(
        "insert into metrics.metric_status values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[s.metric_id, s.entity_type, s.entity_id, s.period_start, s.period_end,
          grains[s.metric_id], s.value, s.baseline, s.z, s.count_z,
          s.z if s.adverse_z is None else s.adverse_z, s.status,
          "thresholds" if thresholds[s.metric_id] else "baseline",
          s.status != "incomplete" if s.is_complete is None else s.is_complete]
         for s in status],
    )
    con.execute(
        """
        create table metrics.metric_values as
        select metric_id, entity_type, entity_id, period_start, grain, value
        from metrics.metric_status
        """
    )
    con.close()
    return path


def add_customer_marts(path: Path, movements: list[tuple[str, str, dt.date, float, float, str]],
                       breaches: list[tuple[str, str, dt.date]],
                       count_tests: list[tuple[str, str, dt.date, int, int, int, int]]) -> Path:
    """The marts the customer-exposure test reads, by hand: fct_mrr_movements rows (customer,
    plan, month, previous MRR, MRR, movement), SLO breach days per plan and service
    (fct_revenue_at_risk_service_daily) and metric_count_tests rows (metric, plan, month, at
    risk, moved, baseline at risk, baseline moved), in schema `metrics` as `why` reads them."""
    con = duckdb.connect(str(path))
    con.execute(
        "create table metrics.fct_mrr_movements (customer_id varchar, plan_id varchar, "
        "month_start date, previous_mrr_amount decimal(18, 2), mrr_amount decimal(18, 2), "
        "movement varchar)"
    )
    con.executemany("insert into metrics.fct_mrr_movements values (?, ?, ?, ?, ?, ?)",
                    [list(m) for m in movements])
    con.execute(
        "create table metrics.fct_revenue_at_risk_service_daily (plan_id varchar, "
        "service_id varchar, signal_date date)"
    )
    for breach in breaches:
        con.execute("insert into metrics.fct_revenue_at_risk_service_daily values (?, ?, ?)",
                    list(breach))
    con.execute(
        "create table metrics.metric_count_tests (metric_id varchar, entity_type varchar, "
        "entity_id varchar, grain varchar, period_start date, movement varchar, "
        "customers_at_risk integer, moved_customers integer, expected_moved_customers double, "
        "baseline_customers_at_risk integer, baseline_moved_customers integer)"
    )
    con.executemany(
        "insert into metrics.metric_count_tests values (?, 'plan', ?, 'month', ?, 'churned', ?, "
        "?, ? * (? + 0.5) / (? + 1.0), ?, ?)",
        [[metric, plan, month, at_risk, moved, at_risk, base_moved, base_at_risk, base_at_risk,
          base_moved] for metric, plan, month, at_risk, moved, base_at_risk, base_moved
         in count_tests],
    )
    con.close()
    return path


def add_deployment_marts(path: Path, deployments: list[tuple[str, str, dt.datetime, bool]],
                         hours: list[tuple[str, dt.datetime, int, int]]) -> Path:
    """fct_deployments rows (id, service, finished at, failed) and fct_service_signals_hourly
    rows (service, hour, requests, errors) by hand, as the deployment check reads them."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create table marts.fct_deployments (deployment_id varchar, service_id varchar, "
                "finished_at timestamp, is_failed boolean)")
    for row in deployments:
        con.execute("insert into marts.fct_deployments values (?, ?, ?, ?)", list(row))
    con.execute("create table marts.fct_service_signals_hourly (service_id varchar, "
                "hour_at timestamp, request_count bigint, error_count bigint)")
    con.executemany("insert into marts.fct_service_signals_hourly values (?, ?, ?, ?)",
                    [list(h) for h in hours])
    con.close()
    return path

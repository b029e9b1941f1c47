"""Issue 5's story on the default scenario: the injected CPU fault is visible in the marts as
a CPU spike, a latency and error rise, an SLO breach, revenue at risk and then churned MRR."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.paths import ROOT


@pytest.fixture(scope="module")
def cpu_fault() -> dict:
    scenario = yaml.safe_load((ROOT / "scenarios/default.yaml").read_text())
    faults = [f for f in scenario.get("faults", []) if f["kind"] == "cpu_saturation"]
    assert faults, "the default scenario must inject a cpu_saturation fault"
    fault = dict(faults[0])
    fault["start"] = date.fromisoformat(str(fault["start"]))
    fault["end"] = fault["start"] + timedelta(days=int(fault["days"]))
    return fault


@pytest.fixture(scope="module")
def con(default_warehouse: Path):
    connection = duckdb.connect(str(default_warehouse), read_only=True)
    yield connection
    connection.close()


def _window_vs_baseline(con, column: str, fault: dict) -> tuple[float, float]:
    """Mean of `column` for the faulty service inside the fault window vs the 4 weeks before."""
    inside, before = con.execute(
        f"""
        select
            avg(case when signal_date >= ? and signal_date < ? then {column} end),
            avg(case when signal_date >= ? and signal_date < ? then {column} end)
        from marts.fct_service_signals_daily where service_id = ?
        """,
        [fault["start"], fault["end"], fault["start"] - timedelta(days=28), fault["start"],
         fault["service"]],
    ).fetchone()
    return inside, before


def test_cpu_latency_and_errors_rise_in_the_window(con, cpu_fault: dict) -> None:
    cpu_in, cpu_before = _window_vs_baseline(con, "cpu_utilization_max", cpu_fault)
    assert cpu_in > cpu_before * 1.2
    latency_in, latency_before = _window_vs_baseline(con, "latency_p95_ms_max", cpu_fault)
    assert latency_in > latency_before * 1.3
    errors_in, errors_before = _window_vs_baseline(con, "error_rate", cpu_fault)
    assert errors_in > errors_before * 2


def test_the_slo_is_breached_in_the_window_and_not_before(con, cpu_fault: dict) -> None:
    below_in, breached_in, below_before, breached_before = con.execute(
        """
        select
            count(*) filter (where is_below_availability_target and signal_date >= ?
                             and signal_date < ?),
            count(*) filter (where is_slo_breached and signal_date >= ?
                             and signal_date < ?),
            count(*) filter (where is_below_availability_target and signal_date >= ?
                             and signal_date < ?),
            count(*) filter (where is_slo_breached and signal_date >= ?
                             and signal_date < ?)
        from marts.fct_slo_daily where service_id = ?
        """,
        [cpu_fault["start"], cpu_fault["end"]] * 2
        + [cpu_fault["start"] - timedelta(days=28), cpu_fault["start"]] * 2
        + [cpu_fault["service"]],
    ).fetchone()
    # days below target during the fault, and the window's error budget exhausted by them
    assert below_in >= 1 and breached_in >= 1
    assert below_before == 0 and breached_before == 0


def test_revenue_is_at_risk_then_churns(con, cpu_fault: dict) -> None:
    plans = [r[0] for r in con.execute(
        "select plan_id from seeds.plan_services where service_id = ?", [cpu_fault["service"]]
    ).fetchall()]
    assert plans
    at_risk = con.execute(
        "select coalesce(sum(mrr_at_risk), 0) from marts.fct_revenue_at_risk_daily "
        "where signal_date >= ? and signal_date < ? and plan_id in (select unnest(?))",
        [cpu_fault["start"], cpu_fault["end"], plans],
    ).fetchone()[0]
    assert at_risk > 0
    # churned MRR of the dependent plans in the two months after the fault vs the months before
    monthly = con.execute(
        "select month_start, sum(churned_mrr) from marts.fct_mrr_monthly "
        "where plan_id in (select unnest(?)) group by month_start order by month_start",
        [plans],
    ).fetchall()
    fault_month = cpu_fault["start"].replace(day=1)
    after = [float(v) for m, v in monthly if fault_month <= m < fault_month + timedelta(days=62)]
    before = [float(v) for m, v in monthly if m < fault_month]
    assert after and before
    assert max(after) > 1.5 * (sum(before) / len(before))

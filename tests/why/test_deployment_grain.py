"""Evidence at the grain of the effect for deployments (breadcrumbs/why/exposure.py): a
service's errors are blamed on its failed deployment only when the errors rose in the hours
after one of its failed deployments, not when an unrelated blip came the next day (a deployment
is "failed" when an incident hits its service within a day). Hand-built: ten days of a service's
errors and its daily failed-deployment rate, then a red day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.warehouse import load_catalog, load_ownership, open_warehouse
from breadcrumbs.why import explain
from breadcrumbs.why.exposure import FailedDeployment, poisson_z
from breadcrumbs.why.walk import Walker
from tests.why.handbuilt import Catalog, Status, add_deployment_marts, handbuilt_warehouse

DAYS = [dt.date(2026, 5, 1) + dt.timedelta(days=k) for k in range(11)]
ASKED = DAYS[-1]
DEPLOYED = dt.datetime.combine(DAYS[-2], dt.time(10))  # the day before, 10:00


def _warehouse(path: Path, errors_after_deploy: int, blip_hour: dt.datetime | None) -> Path:
    catalog = [
        Catalog("error_count", "Errors", "count", "lower_is_better", "day", "service"),
        Catalog("service_change_failure_rate", "Service change failure rate", "ratio",
                "lower_is_better", "day", "service"),
    ]
    edges = [("error_count", "service_change_failure_rate", "causal", "positive")]
    wobble = [0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 0.2, -0.2, 0.8, None]
    status = []
    for day, w in zip(DAYS, wobble, strict=True):
        errors_z, failed_z = (12.0, 10.0) if w is None else (w, w)
        status += [
            Status("error_count", "service", "s1", day, day, 240 + 20 * errors_z, 240.0, errors_z,
                   "red" if w is None else "green"),
            Status("service_change_failure_rate", "service", "s1", day, day,
                   0.1 + 0.05 * failed_z, 0.1, failed_z, "red" if w is None else "green"),
        ]
    handbuilt_warehouse(path, catalog, edges, status)
    hours = []
    for h in range(48):
        at = dt.datetime.combine(DAYS[-2], dt.time()) + dt.timedelta(hours=h)
        errors = 10
        if DEPLOYED <= at < DEPLOYED + dt.timedelta(hours=6):
            errors = errors_after_deploy
        if blip_hour is not None and blip_hour <= at < blip_hour + dt.timedelta(hours=3):
            errors = 300
        hours.append(("s1", at, 1000, errors))
    return add_deployment_marts(path, [("d1", "s1", DEPLOYED, True)], hours)


def _ask(path: Path) -> dict:
    return explain(path, "error_count", entity="s1", period=ASKED.isoformat()).as_json()


def test_errors_that_rose_after_the_deployment_are_traced_to_it(tmp_path: Path) -> None:
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", errors_after_deploy=200, blip_hour=None))
    assert [(s["metric"], s["edge"]) for s in answer["path"]] == [
        ("service_change_failure_rate", "causal")]


def test_a_blip_the_day_after_a_failed_deployment_is_not_blamed_on_it(tmp_path: Path) -> None:
    blip = dt.datetime.combine(ASKED, dt.time(9))  # 23 hours after the deployment
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", errors_after_deploy=10, blip_hour=blip))
    assert answer["path"] == [] and answer["root_cause"]["metric"] == "error_count"
    (skip,) = answer["unfollowed"]
    assert skip["reason"] == "exposure" and skip["exposure"] is None
    # 60 errors in the 6 hours after d1, where the 6 hours before's rate (60.5 in 6,000
    # requests) expects 60.5
    assert "did not rise in the 6 hours after any of its failed deployments (d1" in (
        answer["stop"]["text"])


def test_the_poisson_z_is_the_projects_count_test() -> None:
    # Wilson-Hilferty as macros/poisson_tail_z.sql: 3 of 0.4 expected
    assert poisson_z(3, 0.4) == pytest.approx(3 * 3 ** 0.5 * (1 - 1 / 27 - (0.4 / 3) ** (1 / 3)))
    assert poisson_z(0, 4.0) == -2.0


def test_a_batch_reads_every_services_deployments_once_as_one_walk_reads_its_own(
        tmp_path: Path) -> None:
    """The walk's step over many red periods (why_step_verdicts) reads the failed deployments
    of every service in one query; `why` reads its service's on first need. Same rows: d1 with
    the 6 hours before it (10 errors an hour) and the 6 from its finish (200 an hour); d2 of
    another service, outside the hours there are; a green deployment is not read."""
    path = _warehouse(tmp_path / "wh.duckdb", errors_after_deploy=200, blip_hour=None)
    with duckdb.connect(str(path)) as con:
        con.executemany("insert into marts.fct_deployments values (?, ?, ?, ?)",
                        [["d2", "s2", DEPLOYED, True], ["d3", "s1", DEPLOYED, False]])
    d1 = FailedDeployment("d1", DEPLOYED, 60, 6000.0, 1200, 6000.0)
    d2 = FailedDeployment("d2", DEPLOYED, 0, 0.0, 0, 0.0)
    wh = open_warehouse(path)
    try:
        walkers = [Walker(wh=wh, catalog=load_catalog(wh), ownership=load_ownership(wh))
                   for _ in range(2)]
        walkers[0].preload_deployments()
        for walker in walkers:
            assert walker.service_deployments("s1") == [d1]
            assert walker.service_deployments("s2") == [d2]
            assert walker.service_deployments("s9") == []
        assert walkers[0].deployments == {"s1": [d1], "s2": [d2]}
        assert walkers[1].deployments == {"s1": [d1], "s2": [d2], "s9": []}
    finally:
        wh.close()

"""`breadcrumbs review` on the default scenario (docs/weekly-review.md): the payments team's brief
for the week of the CPU fault on checkout says what moved and walks it back to the CPU spike;
defaults pick the latest complete week and the team with the most red metrics; unknown teams and
weeks outside the data are clear errors; the report carries the brief and groups business outcomes
by value lens."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.cli import main
from breadcrumbs.report import write_report

pytestmark = pytest.mark.slow

FAULT_WEEK = "2026-08-19"  # scenarios/default.yaml: cpu_saturation on checkout from 2026-08-17


def _review(warehouse: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str,
                                                                                      str]:
    code = main(["review", *args, "--warehouse", str(warehouse)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_brief_of_the_cpu_fault_week_walks_back_to_checkout(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _review(default_warehouse, capsys, "--team", "payments", "--week", FAULT_WEEK)
    assert code == 0, err
    assert out.startswith("# Weekly review: team payments, week of 2026-08-17 to 2026-08-23")
    moved = out[out.index("## What moved this week"):out.index("## Metrics failing")]
    assert re.search(r"\| RED \| Availability \(`availability`\) \| service checkout", moved)
    assert re.search(r"\| RED \| Revenue at risk \(`revenue_at_risk`\) \| plan enterprise", moved)
    assert "### Why (the breadcrumb trail)" in moved
    assert "root cause: CPU utilisation (`cpu_utilization`) on service checkout" in moved
    assert "evidence: incidents" in moved, "the trail names the incidents it rests on"
    assert not re.search(r"\b\d(\.\d+)?[eE][+-]\d+\b", moved), "no scientific notation"
    for section in ("## Metrics failing the two tests in practice", "## Inactionable alerts",
                    "## Where to map drivers first"):
        assert section in out
    critical = out[out.index("## Where to map drivers first"):]
    assert "| checkout |" in critical and "| billing-api |" in critical


def test_out_writes_the_same_markdown(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "brief.md"
    code, out, err = _review(default_warehouse, capsys, "--team", "payments", "--week",
                             FAULT_WEEK, "--out", str(target))
    assert code == 0, err
    assert target.read_text() == out


def test_unknown_team_lists_the_valid_ones(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _review(default_warehouse, capsys, "--team", "payements")
    assert code == 1 and out == ""
    assert "unknown team 'payements' (teams: growth, payments, platform)" in err


def test_week_outside_the_data_is_refused(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _review(default_warehouse, capsys, "--team", "payments", "--week", "2027-03-01")
    assert code == 1
    assert "the week of 2027-03-01 is outside the data (2026-05-25 → " in err
    code, _, err = _review(default_warehouse, capsys, "--week", "next tuesday")
    assert code == 1 and "is not a date" in err


def test_defaults_are_the_latest_complete_week_and_the_reddest_team(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _review(default_warehouse, capsys)
    assert code == 0, err
    found = re.match(r"# Weekly review: team (\S+), week of (\S+) to (\S+)", out)
    assert found
    team, monday = found.group(1), dt.date.fromisoformat(found.group(2))
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        last_day = con.execute("select max(period_start) from metrics.metric_values "
                               "where grain = 'day'").fetchone()[0]
        reds = dict(con.execute(
            """
            select services.team_id, count(distinct status.metric_id)
            from metrics.metric_status as status
            inner join seeds.services
                on (status.entity_type = 'service' and status.entity_id = services.service_id)
                or (status.entity_type = 'team' and status.entity_id = services.team_id)
            where status.status = 'red' and status.is_complete
                and status.period_start <= ? and status.period_end >= ?
            group by services.team_id
            """,
            [monday + dt.timedelta(days=6), monday],
        ).fetchall())
    finally:
        con.close()
    assert monday.weekday() == 0
    assert monday + dt.timedelta(days=6) <= last_day < monday + dt.timedelta(days=13)
    assert reds.get(team, 0) == max(reds.values(), default=0)


def test_report_carries_the_brief_and_the_three_value_lenses(
    default_warehouse: Path, tmp_path: Path
) -> None:
    page = write_report(default_warehouse, tmp_path / "index.html").read_text()
    review = page[page.index('<section id="review">'):]
    assert "<h2>Weekly review: team " in review and "Where to map drivers first" in review
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        lenses = con.execute("select metric_id, value_lens from metrics.metric_catalog "
                             "where layer = 'business_outcome'").fetchall()
    finally:
        con.close()
    assert {lens for _, lens in lenses} == {"protects", "enables", "reduces_cost"}
    business = page[page.index('data-layer="business_outcome"'):page.index('<section id="review">')]
    starts = [(m.group(1), m.start()) for m in re.finditer(r'data-lens="(\w+)"', business)]
    assert [lens for lens, _ in starts] == ["protects", "enables", "reduces_cost"]
    ends = [at for _, at in starts[1:]] + [len(business)]
    columns = {lens: business[at:end] for (lens, at), end in zip(starts, ends, strict=True)}
    for metric_id, lens in lenses:
        body = columns[lens]
        assert f'data-metric="{metric_id}"' in body, f"{metric_id} not under {lens}"


def test_service_criticality_on_the_default_scenario(default_warehouse: Path) -> None:
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        rows = con.execute(
            "select service_id, criticality_rank, is_top_critical, dependent_mrr, "
            "dependent_plan_count from marts.service_criticality order by criticality_rank"
        ).fetchall()
        services = {r[0] for r in con.execute("select service_id from seeds.services").fetchall()}
    finally:
        con.close()
    assert {r[0] for r in rows} == services
    assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
    assert sum(1 for r in rows if r[2]) == 3, "six services: the top three are flagged"
    # gateway, search and catalog serve every plan: no service has more dependent MRR
    most = max(r[3] for r in rows)
    assert {r[0] for r in rows if r[3] == most} == {"gateway", "search", "catalog"}
    assert "checkout" in {r[0] for r in rows if r[2]}, "the CPU-fault service is among the top"


def test_brief_report_and_why_share_the_latest_complete_period(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/periods-and-status.md: data ends on Sunday 22 November. The default brief is the
    week of 16 November; November, 22 days old with no release yet, is incomplete, so the
    engineering cost per feature of the payments team (90,000 for November so far) is not red
    in it; the report's card and `why` show October, the latest complete month."""
    from breadcrumbs.report.data import load_cards
    from breadcrumbs.warehouse import open_warehouse
    from breadcrumbs.why import explain

    code, out, err = _review(default_warehouse, capsys, "--team", "payments")
    assert code == 0, err
    assert out.startswith("# Weekly review: team payments, week of 2026-11-16 to 2026-11-22")
    assert "this week is not complete yet" not in out
    moved = out[out.index("## What moved this week"):out.index("## Metrics failing")]
    assert "engineering_cost_per_feature" not in moved
    assert "month of 2026-11-01" not in moved
    wh = open_warehouse(default_warehouse)
    try:
        cards = {card.metric_id: card for card in load_cards(wh)}
    finally:
        wh.close()
    assert cards["engineering_cost_per_feature"].period_start == dt.date(2026, 10, 1)
    assert cards["revenue_at_risk"].period_start == dt.date(2026, 11, 16)
    answer = explain(default_warehouse, "engineering_cost_per_feature",
                     entity="payments").as_json()
    assert answer["period"] == "2026-10-01"

"""Check that benchmarks/handwritten.sql computes the same numbers as the dbt build.

Every row of a `bench_hand` table must have exactly one row with the same key in the dbt
relation and vice versa; values are equal (`is not distinct from`: NULL equals only NULL, and a
NULL on one side with a value on the other is a mismatch), except doubles, which may differ by
`DOUBLE_REL_TOLERANCE` relative when both are values (sums of doubles depend on the order in
which threads add them): |a - b| <= 1e-9 * max(1, |b|).
"""

from __future__ import annotations

from typing import Any

DOUBLE_REL_TOLERANCE = 1e-9
METRICS = ("request_count", "error_count", "error_rate", "cpu_utilization", "latency_p95_ms",
           "availability", "error_budget_remaining", "mrr", "new_mrr", "expansion_mrr",
           "contraction_mrr", "churned_mrr", "reactivation_mrr")
DORA_COLUMNS = ("deployment_count", "deployment_days", "deployments_trailing_4w",
                "deployment_frequency_band", "changes_deployed_count", "change_lead_time_hours",
                "change_lead_time_p75_hours", "change_lead_time_band", "failed_deployment_count",
                "change_failure_rate", "failed_deployment_recovery_time_hours",
                "failed_deployment_recovery_time_band", "rework_deployment_count",
                "deployment_rework_rate")
# handwritten table -> (dbt relation or filtered query, key columns)
PAIRS: dict[str, tuple[str, tuple[str, ...]]] = {
    "slo_daily": ("marts.fct_slo_daily", ("service_id", "signal_date")),
    "mrr_movements": ("marts.fct_mrr_movements", ("customer_id", "month_start")),
    "metric_values": (
        "(select * from metrics.metric_values where metric_id in ({}))".format(
            ", ".join(f"'{m}'" for m in METRICS)),
        ("metric_id", "entity_type", "entity_id", "period_start", "grain")),
    "dora_team_weekly": (
        "(select team_id, week_start, {} from marts.fct_delivery_team_weekly)".format(
            ", ".join(DORA_COLUMNS)),
        ("team_id", "week_start")),
}


def _columns(con: Any, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'bench_hand' and table_name = ? order by ordinal_position",
        [table]).fetchall()


def _relation_name(relation: str) -> str:
    """The dbt relation a PAIRS entry reads: itself, or the one after `from` in a query."""
    if not relation.startswith("("):
        return relation
    return relation.split(" from ", 1)[1].split()[0].rstrip(")")


def compare_table(con: Any, table: str, relation: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Rows of `bench_hand.<table>` and `relation`, and how many differ (either side)."""
    columns = _columns(con, table)
    if not columns:
        raise ValueError(f"bench_hand.{table} does not exist: run benchmarks/handwritten.sql")
    on = " and ".join(f"h.{k} = d.{k}" for k in keys)
    checks = []
    for name, data_type in columns:
        if name in keys:
            continue
        if data_type in ("DOUBLE", "FLOAT", "REAL"):
            # NULL-safe: a null on one side and a value on the other is a mismatch (the
            # tolerance test alone is null there, and a null filter counts nothing)
            checks.append(
                f"(h.{name} is distinct from d.{name} and (h.{name} is null or d.{name} is null"
                f" or abs(h.{name} - d.{name}) > {DOUBLE_REL_TOLERANCE}"
                f" * greatest(1, abs(d.{name}))))")
        else:
            checks.append(f"h.{name} is distinct from d.{name}")
    missing = " or ".join(f"h.{k} is null or d.{k} is null" for k in keys)
    differs = " or ".join(checks) or "false"
    row = con.execute(f"""
        select
            (select count(*) from bench_hand.{table}),
            (select count(*) from {relation}),
            count(*) filter (where {missing} or {differs})
        from bench_hand.{table} as h
        full outer join {relation} as d on {on}
    """).fetchone()
    return {"dbt_relation": _relation_name(relation),
            "handwritten_rows": row[0], "dbt_rows": row[1], "mismatched_rows": row[2]}


def compare_handwritten(con: Any) -> dict[str, Any]:
    """Every PAIRS comparison; `mismatched_rows` must be 0 for each."""
    return {"double_tolerance": f"relative {DOUBLE_REL_TOLERANCE}",
            "metrics": list(METRICS),
            "tables": {table: compare_table(con, table, relation, keys)
                       for table, (relation, keys) in PAIRS.items()}}

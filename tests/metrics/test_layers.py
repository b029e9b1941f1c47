"""No model skips a layer (docs/architecture.md, "Layers"): staging is read only by intermediate
models, marts read intermediate models, seeds and other marts, and a metric model reads marts,
seeds and other metrics, never an intermediate or staging model. A metric model is a thin
projection of a mart: its own SQL joins, groups, aggregates, windows and buckets nothing; only
ref() and the shared metrics_* macros (macros/metrics_select.sql) may. Read from the parsed
project."""

from __future__ import annotations

import re
from typing import Any


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model"}


def _layer(node: dict[str, Any]) -> str:
    path = node["original_file_path"]
    for layer in ("staging", "intermediate", "marts", "metrics"):
        if path.startswith(f"models/{layer}/"):
            return layer
    return "other"


def _parents(node: dict[str, Any], models: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(parent name, parent layer) of every model or source the node reads."""
    out = []
    for uid in node["depends_on"]["nodes"]:
        if uid.startswith("source."):
            out.append((uid, "source"))
        elif uid in models:
            out.append((models[uid]["name"], _layer(models[uid])))
    return out


def test_no_model_skips_a_layer(manifest: dict[str, Any]) -> None:
    models = _models(manifest)
    allowed = {
        "staging": {"source", "staging"},
        "intermediate": {"staging", "intermediate"},
        "marts": {"intermediate", "marts"},
        "metrics": {"marts", "metrics"},
    }
    wrong = []
    for node in models.values():
        layer = _layer(node)
        if layer not in allowed:
            continue
        for parent, parent_layer in _parents(node, models):
            if parent_layer not in allowed[layer]:
                wrong.append(f"{node['name']} ({layer}) reads {parent} ({parent_layer})")
    assert not wrong, "models that skip a layer:\n  " + "\n  ".join(sorted(wrong))


def test_the_layer_check_sees_a_skip(manifest: dict[str, Any]) -> None:
    """The check reads real dependencies: a metric model depends on a mart, and the marts'
    parents include intermediate models (so an empty parent list cannot pass it)."""
    models = _models(manifest)
    by_name = {node["name"]: node for node in models.values()}
    assert ("fct_delivery_weekly", "marts") in _parents(by_name["m_deployments"], models)
    assert ("int_delivery__pull_requests", "intermediate") in _parents(
        by_name["fct_delivery_weekly"], models)


_JINJA = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_COMMENT = re.compile(r"--[^\n]*")
# mart work a metric model's own SQL never does (the shared metrics_* macros may)
MART_WORK = {
    "a join": r"\bjoin\b",
    "a group by": r"\bgroup\s+by\b",
    "a union": r"\bunion\b",
    "a window": r"\bover\s*\(",
    "an aggregate": r"\b(sum|avg|count|min|max|median|percentile_cont|percentile|stddev\w*)\s*\(",
    "a date function": r"\b(date_trunc|dateadd|datediff|date_add|date_sub|date_diff)\b",
}


def mart_work(raw_code: str) -> list[str]:
    """What a metric model's raw SQL does that belongs in a mart: its own SQL (Jinja and
    comments removed) checked against MART_WORK, and every Jinja call other than ref() and the
    shared metrics_* macros (e.g. dbt.date_trunc, percentile)."""
    found = []
    for match in _JINJA.finditer(raw_code):
        call = re.match(r"\s*([\w.]+)\s*\(", match.group(1) or "")
        if call and call.group(1) != "ref" and not call.group(1).startswith("metrics_"):
            found.append(f"the macro {call.group(1)}")
    own = _COMMENT.sub("", _JINJA.sub(" ", raw_code)).lower()
    found += [what for what, pattern in MART_WORK.items() if re.search(pattern, own)]
    return list(dict.fromkeys(found))


def test_metric_models_are_projections_of_marts(manifest: dict[str, Any]) -> None:
    metrics = [node for node in _models(manifest).values()
               if _layer(node) == "metrics" and node["name"].startswith("m_")]
    assert len(metrics) >= 47, sorted(node["name"] for node in metrics)
    doing = {node["name"]: work for node in metrics if (work := mart_work(node["raw_code"]))}
    assert not doing, "metric models doing mart work (move it into a mart, issue 23):\n  " + (
        "\n  ".join(f"{name}: {', '.join(work)}" for name, work in sorted(doing.items())))


def test_the_projection_check_sees_mart_work() -> None:
    """The check flags what the pre-issue-23 metric models did in place (a join of two marts,
    a date bucket with an aggregate and a group by), and passes a projection."""
    joined = """with a as (select * from {{ ref('fct_x') }}),
        b as (select * from {{ ref('fct_y') }})
        select a.k, b.v from a left join b on a.k = b.k"""
    bucketed = """-- a join in a comment is not a join
        select cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start,
            {{ percentile('minutes', 0.5) }} as value
        from {{ ref('fct_incidents') }} group by 1"""
    projection = """-- depends_on: {{ ref('m_incident_count') }}
        with w as (select * from {{ ref('fct_incidents_weekly') }}),
        metric_rows as ({{ metrics_service_weekly_sum('w', 'incident_minutes') }}),
        final as ({{ metrics_select('metric_rows') }})
        select * from final"""
    assert mart_work(joined) == ["a join"]
    assert mart_work(bucketed) == ["the macro dbt.date_trunc", "the macro percentile", "a group by"]
    assert mart_work(projection) == []

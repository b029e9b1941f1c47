"""The "two tests for every metric" check over a dbt manifest (docs/metrics.md), the same rules as
the dbt guard macro `metrics_catalog_problems`: every problem names the metric and the field."""

from __future__ import annotations

from typing import Any

REQUIRED = (
    "layer", "owner", "audience", "decision", "decided_by", "direction", "thresholds",
    "counterbalance",
)
LAYERS = {"raw_signal", "service", "delivery", "business_outcome"}
# engineering's three roles (docs/metrics.md)
VALUE_LENSES = ("protects", "enables", "reduces_cost")
COVERAGES = ("load_window", "full_history")  # where a metric's data begins (periods-and-status)


def metric_nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Model nodes carrying config.meta.metric, keyed by metric id (model name without m_)."""
    found = {}
    for node in manifest["nodes"].values():
        if node.get("resource_type") != "model":
            continue
        meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
        if meta.get("metric"):
            name = node["name"]
            found[name[2:] if name.startswith("m_") else name] = node
    return found


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return ((node.get("config") or {}).get("meta") or node.get("meta") or {})["metric"]


def problems(manifest: dict[str, Any]) -> list[str]:
    """Every violation of the two tests, one message each."""
    nodes = metric_nodes(manifest)
    out: list[str] = []
    for metric_id, node in sorted(nodes.items()):
        meta = _meta(node)
        prefix = f"metric {metric_id} ({node['name']})"
        for field in REQUIRED:
            if meta.get(field) in (None, "", [], {}):
                out.append(f"{prefix}: missing {field}")
        if meta.get("layer") and meta["layer"] not in LAYERS:
            out.append(f"{prefix}: layer {meta['layer']} is not one of {sorted(LAYERS)}")
        lens = meta.get("value_lens")
        if meta.get("layer") == "business_outcome" and lens in (None, ""):
            out.append(f"{prefix}: missing value_lens (protects, enables or reduces_cost)")
        elif lens not in (None, "") and lens not in VALUE_LENSES:
            out.append(f"{prefix}: value_lens {lens} is not protects, enables or reduces_cost")
        thresholds = meta.get("thresholds") or {}
        if thresholds and not ({"amber", "red"} <= set(thresholds)
                               or {"baseline_weeks", "red_z"} <= set(thresholds)):
            out.append(f"{prefix}: thresholds need {{amber, red}} or {{baseline_weeks, red_z}}")
        out += _threshold_problems(prefix, meta.get("direction"), thresholds)
        if meta.get("coverage") is not None and meta["coverage"] not in COVERAGES:
            out.append(f"{prefix}: coverage {meta['coverage']} is not load_window or full_history")
        window = meta.get("window_days")
        if window is not None and window != "slo_window_days" and not (
                _whole(window) and window >= 1):
            out.append(f"{prefix}: window_days must be a whole number of days >= 1 or "
                       f"slo_window_days (got {window})")
        if meta.get("counterbalance") and meta["counterbalance"] not in nodes:
            out.append(f"{prefix}: counterbalance {meta['counterbalance']} is not a metric")
        if meta.get("rolls_up_to") and meta["rolls_up_to"] not in nodes:
            out.append(f"{prefix}: rolls_up_to {meta['rolls_up_to']} is not a metric")
        drivers = meta.get("drivers") or []
        if not drivers and not meta.get("leaf_reason"):
            out.append(f"{prefix}: missing drivers (a leaf metric needs leaf_reason)")
        depends = set((node.get("depends_on") or {}).get("nodes") or [])
        for driver in drivers:
            driver_id = driver.get("metric")
            if driver.get("edge") not in ("formula", "causal"):
                out.append(f"{prefix}: driver {driver_id} has edge {driver.get('edge')}")
            if driver_id not in nodes:
                out.append(f"{prefix}: driver {driver_id} does not exist")
            elif nodes[driver_id]["unique_id"] not in depends:
                out.append(f"{prefix}: driver {driver_id} is not a dependency in the manifest")
    out.extend(cycles(nodes))
    return out


def cycles(nodes: dict[str, dict[str, Any]]) -> list[str]:
    """Metrics on a driver cycle (what is left after peeling metrics whose drivers are peeled)."""
    drivers = {m: {d.get("metric") for d in _meta(n).get("drivers") or []} & set(nodes)
               for m, n in nodes.items()}
    peeled: set[str] = set()
    changed = True
    while changed:
        changed = False
        for metric, needs in drivers.items():
            if metric not in peeled and needs <= peeled:
                peeled.add(metric)
                changed = True
    return [f"metric {m} ({nodes[m]['name']}): drivers form a cycle"
            for m in sorted(set(drivers) - peeled)]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _threshold_problems(prefix: str, direction: str | None, thresholds: dict) -> list[str]:
    """Absolute thresholds are two numbers, amber no worse than red for the direction;
    baseline_weeks a whole number of weeks (1-104), red_z positive."""
    out = []
    if "amber" in thresholds or "red" in thresholds:
        amber, red = thresholds.get("amber"), thresholds.get("red")
        if not (_number(amber) and _number(red)):
            out.append(f"{prefix}: absolute thresholds amber and red must both be numbers "
                       f"(got amber {amber}, red {red})")
        elif direction == "lower_is_better" and amber > red:
            out.append(f"{prefix}: lower_is_better needs amber <= red "
                       f"(got amber {amber}, red {red})")
        elif direction == "higher_is_better" and amber < red:
            out.append(f"{prefix}: higher_is_better needs amber >= red "
                       f"(got amber {amber}, red {red})")
    weeks = thresholds.get("baseline_weeks")
    if weeks is not None and not (_whole(weeks) and 1 <= weeks <= 104):
        out.append(f"{prefix}: thresholds.baseline_weeks must be a whole number of weeks "
                   f"from 1 to 104 (got {weeks})")
    red_z = thresholds.get("red_z")
    if red_z is not None and not (_number(red_z) and red_z > 0):
        out.append(f"{prefix}: thresholds.red_z must be a positive number (got {red_z})")
    return out

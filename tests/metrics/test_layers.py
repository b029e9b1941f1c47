"""No model skips a layer (docs/architecture.md, "Layers"): staging is read only by intermediate
models, marts read intermediate models, seeds and other marts, and a metric model reads marts,
seeds and other metrics, never an intermediate or staging model. Read from the parsed project."""

from __future__ import annotations

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

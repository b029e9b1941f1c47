"""What follows from the metric catalog, generated from the YAML: each metric's doc-block table,
metric_values' dependency list and the landing page's value-lens table.

The catalog lives in `config.meta.metric` beside each metric model
(models/metrics/<layer>/_<layer>__metrics.yml). dbt docs shows `meta` only as a raw JSON blob,
so this writes the entry as a Markdown table at the end of the metric's doc block
(`{% docs metric_<id> %}` in _<layer>__metrics_docs.md), below the hand-written prose and a
marker line, with a link to the metric's driver tree in the docs site's lineage view. Run
`make catalog-docs` (or `python -m breadcrumbs.catalog_docs`) after changing a catalog entry;
tests/docs/test_catalog_docs.py fails while a table differs from the YAML.

It also writes the two lists that follow from the set of metrics (docs/adding-a-metric.md), so a
metric author writes only the SQL, the catalog entry and the doc block:
- models/metrics/metric_values.sql: one `-- depends_on` line per metric model between two marker
  lines (dbt reads a model's dependencies when it parses the project, before its graph exists,
  so the union metric_values generates from the graph needs them spelled out);
- models/docs/overview.md: the business outcomes in the column of their `value_lens`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from breadcrumbs.project import find_root

MARKER = "**Catalog entry**"
BLOCK = re.compile(r"(\{% docs metric_(\w+) %\}\n)(.*?)(\n\{% enddocs %\})", re.S)
PROJECT = "breadcrumbs"


def lineage_selector(metric_id: str) -> str:
    """The dbt selector that shows only the metric's driver tree: its ancestors among the
    metric models."""
    return f"+m_{metric_id},path:models/metrics"


def lineage_link(metric_id: str) -> str:
    """The docs-site route of the metric's page with the lineage graph open on its driver tree
    (dbt docs reads the graph's selection from g_v, g_i and g_e)."""
    return (f"#!/model/model.{PROJECT}.m_{metric_id}?g_v=1&g_i="
            + quote(lineage_selector(metric_id), safe=""))


def load_catalog(root: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Metric id → (its docs file, config.meta.metric), from every metric YAML."""
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for spec in sorted((root / "models" / "metrics").glob("*/_*__metrics.yml")):
        for model in yaml.safe_load(spec.read_text()).get("models") or []:
            meta = ((model.get("config") or {}).get("meta") or {}).get("metric")
            if meta and model["name"].startswith("m_"):
                docs = spec.with_name(spec.name.replace("__metrics.yml", "__metrics_docs.md"))
                out[model["name"][2:]] = (docs, meta)
    return out


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _metric(metric_id: str) -> str:
    return f"[`{metric_id}`](#!/model/model.{PROJECT}.m_{metric_id})"


def _status(meta: dict[str, Any]) -> str:
    thresholds = meta.get("thresholds") or {}
    if "red_z" in thresholds:
        return (f"robust baseline: red when {thresholds['red_z']:g} robust z-scores worse than "
                f"the median of the previous {thresholds.get('baseline_weeks', '?')} weeks "
                "(amber at two thirds of that)")
    return f"fixed thresholds: amber at {thresholds.get('amber')}, red at {thresholds.get('red')}"


def _drivers(meta: dict[str, Any]) -> str:
    drivers = meta.get("drivers") or []
    if not drivers:
        return f"none, a leaf: {meta.get('leaf_reason') or 'no reason given'}"
    return ", ".join(
        f"{_metric(d['metric'])} ({d['edge']}"
        + (f", {d['sign']}" if d.get("sign") else "") + ")"
        for d in drivers
    )


def table(metric_id: str, meta: dict[str, Any]) -> str:
    """The catalog entry as a Markdown table, and the link to the driver tree."""
    rows = [
        ("Metric id", f"`{metric_id}` (model `m_{metric_id}`)"),
        ("Label", meta.get("label", "")),
        ("Layer", meta.get("layer", "")
         + (f", value lens **{meta['value_lens']}**" if meta.get("value_lens") else "")),
        ("Entity and grain", f"per {meta.get('entity', '?')} and {meta.get('grain', '?')}"),
        ("Unit", meta.get("unit", "")),
        ("Direction", str(meta.get("direction", "")).replace("_", " ")),
        ("Status", _status(meta)),
        ("Decision", meta.get("decision", "")),
        ("Decided by", meta.get("decided_by", "")),
        ("Owner", meta.get("owner", "")),
        ("Audience", meta.get("audience", "")),
        ("Counterbalance", _metric(meta["counterbalance"]) + " (read the two together)"
         if meta.get("counterbalance") else ""),
        ("Drivers", _drivers(meta)),
    ]
    if meta.get("driver_lag_days") is not None:
        rows.append(("Driver lag", f"{meta['driver_lag_days']} days"))
    if meta.get("rolls_up_to"):
        rows.append(("Rolls up to", _metric(meta["rolls_up_to"])))
    if meta.get("customer_movement"):
        verb = {"churned": "who left", "expansion": "who expanded",
                "contraction": "who contracted"}.get(meta["customer_movement"], "")
        rows.append(("Customer movement", f"`{meta['customer_movement']}`: judged by the count "
                     f"of customers {verb} (metric_count_tests; `why`'s exposure test)"))
    lines = [
        f"{MARKER} (`config.meta.metric`, written here by `make catalog-docs`; edit the YAML, "
        "not this table)",
        "",
        "| Field | Value |",
        "|---|---|",
        *(f"| {name} | {_cell(value)} |" for name, value in rows),
        "",
        f"**Driver tree**: [open the lineage graph of the metric models upstream of "
        f"`m_{metric_id}`]({lineage_link(metric_id)}) (selector "
        f"`{lineage_selector(metric_id)}`).",
    ]
    return "\n".join(lines)


def render(text: str, catalog: dict[str, tuple[Path, dict[str, Any]]]) -> str:
    """A docs file with every metric block's catalog table (re)written below its prose."""
    def block(match: re.Match[str]) -> str:
        head, metric_id, body, tail = match.groups()
        if metric_id not in catalog:
            return match.group(0)
        prose = body.split("\n" + MARKER, 1)[0].rstrip()
        return f"{head}{prose}\n\n{table(metric_id, catalog[metric_id][1])}{tail}"

    return BLOCK.sub(block, text)


GENERATED_BEGIN = "-- metric models (written by `make catalog-docs` from the catalog; do not edit):"
GENERATED_END = "-- end of metric models"
METRIC_VALUES = Path("models/metrics/metric_values.sql")
OVERVIEW = Path("models/docs/overview.md")
LENSES = (("protects", "Protects revenue"), ("enables", "Enables revenue"),
          ("reduces_cost", "Reduces cost"))
LENS_BEGIN = "<!-- value lens table: written by `make catalog-docs` from the catalog -->"
LENS_END = "<!-- end of value lens table -->"


def _between(text: str, begin: str, end: str, body: str, path: Path) -> str:
    """`text` with the lines between the `begin` and `end` marker lines replaced by `body`."""
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ValueError(f"{path}: needs exactly one line {begin!r} and one {end!r}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def metric_values_dependencies(catalog: dict[str, tuple[Path, dict[str, Any]]]) -> str:
    """metric_values' `-- depends_on` lines, one per metric model, sorted by name."""
    return "".join(f"-- depends_on: {{{{ ref('m_{metric_id}') }}}}\n"
                   for metric_id in sorted(catalog))


def value_lens_table(catalog: dict[str, tuple[Path, dict[str, Any]]]) -> str:
    """The business outcomes (`layer: business_outcome`) in three columns by `value_lens`."""
    columns = [[f"`m_{metric_id}`: {_cell(meta.get('label', metric_id))}"
                for metric_id, (_, meta) in sorted(catalog.items())
                if meta.get("layer") == "business_outcome" and meta.get("value_lens") == lens]
               for lens, _ in LENSES]
    lines = ["| " + " | ".join(f"{title} (`{lens}`)" for lens, title in LENSES) + " |",
             "|" + "---|" * len(LENSES)]
    for row in range(max((len(column) for column in columns), default=0)):
        cells = [column[row] if row < len(column) else "" for column in columns]
        lines.append(("| " + " | ".join(cells) + " |").replace("  |", " |"))
    return "\n".join(lines) + "\n"


def _update_generated(root: Path, catalog: dict[str, tuple[Path, dict[str, Any]]],
                      write: bool) -> list[Path]:
    changed = []
    for relative, begin, end, body in (
        (METRIC_VALUES, GENERATED_BEGIN, GENERATED_END, metric_values_dependencies(catalog)),
        (OVERVIEW, LENS_BEGIN, LENS_END, value_lens_table(catalog)),
    ):
        path = root / relative
        if not path.is_file():
            continue
        text = path.read_text()
        new = _between(text, begin, end, body, path)
        if new != text:
            changed.append(path)
            if write:
                path.write_text(new)
    return changed


def update(root: Path, write: bool = True) -> list[Path]:
    """Files whose generated parts differ from the catalog (rewritten when `write`): the doc
    blocks' tables, metric_values' dependency lines, the landing page's value-lens table. A
    metric without a doc block is an error."""
    catalog = load_catalog(root)
    changed = _update_generated(root, catalog, write)
    for docs in sorted({path for path, _ in catalog.values()}):
        text = docs.read_text()
        present = {m.group(2) for m in BLOCK.finditer(text)}
        missing = sorted(m for m, (path, _) in catalog.items() if path == docs and m not in present)
        if missing:
            raise ValueError(f"{docs}: no doc block for {', '.join(missing)} (add "
                             f"{{% docs metric_{missing[0]} %}} with its prose)")
        new = render(text, catalog)
        if new != text:
            changed.append(docs)
            if write:
                docs.write_text(new)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report files whose tables are out of date (exit 1)")
    parser.add_argument("--root", type=Path, default=None,
                        help="the project folder (default: the one holding the current folder)")
    args = parser.parse_args(argv)
    root = find_root(args.root)
    changed = update(root, write=not args.check)
    for path in changed:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(root)}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Render the report: one self-contained HTML file (inline CSS, SVG and script; no network)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from breadcrumbs.project import resolve_paths
from breadcrumbs.report.data import LAYERS, VALUE_LENSES, MetricCard, load_cards
from breadcrumbs.review.brief import ReviewError, build_brief
from breadcrumbs.review.render import to_html
from breadcrumbs.why.model import Explanation, Node
from breadcrumbs.why.warehouse import Warehouse, WarehouseError, open_warehouse

LAYER_TITLES = {
    "raw_signal": "Raw signals",
    "delivery": "Delivery",
    "service": "Service",
    "business_outcome": "Business outcomes",
}

LENS_TITLES = {
    "protects": "Protects revenue",
    "enables": "Enables revenue",
    "reduces_cost": "Reduces cost",
}

CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #f6f8fa; }
h1 { margin: 0 0 .25rem; } .sub { color: #57606a; margin-bottom: 1rem; }
.legend span { display: inline-block; padding: .1rem .5rem; border-radius: .3rem;
               margin-right: .4rem; }
#tree { position: relative; display: grid; gap: 2.5rem;
        grid-template-columns: repeat(3, minmax(0, 1fr)) minmax(0, 2.6fr); }
.lenses { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .6rem; }
.node { overflow-wrap: anywhere; }
.lens h3 { font-size: .8rem; color: #57606a; margin: 0 0 .4rem; }
#edges { position: absolute; inset: 0; pointer-events: none; overflow: visible; }
.layer h2 { font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: #57606a; }
.node { position: relative; background: #fff; border: 2px solid #d0d7de; border-left-width: .6rem;
        border-radius: .4rem; padding: .45rem .6rem; margin-bottom: .7rem; font-size: .85rem; }
.status-green { border-color: #2da44e; } .status-amber { border-color: #d4a72c; }
.status-red { border-color: #cf222e; background: #fff5f5; }
.status-incomplete { border-color: #8c959f; border-style: dashed; }
.node .label { font-weight: 600; }
.node .id { color: #57606a; font-family: monospace; font-size: .75rem; }
.node .value { margin: .2rem 0; } .node .drivers { color: #57606a; font-size: .75rem; }
.spark { display: block; margin-top: .2rem; }
.trail { margin: .4rem 0 0; padding-left: 1.1rem; font-size: .78rem; }
.trail .root { font-weight: 700; color: #cf222e; }
.trail .ev { color: #57606a; font-size: .72rem; }
#review { margin-top: 2rem; background: #fff; border: 1px solid #d0d7de; border-radius: .4rem;
          padding: .5rem 1.2rem 1rem; font-size: .9rem; }
#review table { border-collapse: collapse; margin: .4rem 0; }
#review th, #review td { border: 1px solid #d0d7de; padding: .15rem .5rem; text-align: left; }
#review ul { list-style: square; padding-left: 1.2rem; }
"""

SCRIPT = """
(function () {
  var tree = document.getElementById('tree');
  var svg = document.getElementById('edges');
  function draw() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var box = tree.getBoundingClientRect();
    document.querySelectorAll('.node').forEach(function (node) {
      (node.dataset.drivers || '').split(' ').filter(Boolean).forEach(function (driver) {
        var from = document.getElementById('node-' + driver.split(':')[0]);
        if (!from) return;
        var a = from.getBoundingClientRect(), b = node.getBoundingClientRect();
        var x1 = a.right - box.left, y1 = a.top + a.height / 2 - box.top;
        var x2 = b.left - box.left, y2 = b.top + b.height / 2 - box.top;
        if (a.left >= b.left) { x1 = a.left - box.left; x2 = b.right - box.left; }
        var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        var mid = (x1 + x2) / 2;
        path.setAttribute('d', 'M' + x1 + ',' + y1 + ' C' + mid + ',' + y1 + ' ' +
          mid + ',' + y2 + ' ' + x2 + ',' + y2);
        path.setAttribute('fill', 'none');
        path.setAttribute('stroke', driver.split(':')[1] === 'formula' ? '#8c959f' : '#bf8700');
        path.setAttribute('stroke-width', '1.2');
        path.setAttribute('stroke-dasharray', driver.split(':')[1] === 'formula' ? '' : '4 3');
        path.setAttribute('class', 'edge');
        svg.appendChild(path);
      });
    });
  }
  window.addEventListener('resize', draw);
  draw();
})();
"""


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def sparkline(series: list[float], width: int = 160, height: int = 28) -> str:
    """An inline SVG polyline of the series (min–max scaled)."""
    if len(series) < 2:
        return f'<svg class="spark" width="{width}" height="{height}"></svg>'
    low, high = min(series), max(series)
    span = (high - low) or 1.0
    step = width / (len(series) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(series)
    )
    last_x, last_y = points.split(" ")[-1].split(",")
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="#0969da" stroke-width="1.5" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="#0969da"/></svg>'
    )


def _node_text(node: Node) -> str:
    return (
        f"{html.escape(node.metric.label)} on {html.escape(node.entity.entity_type)} "
        f"{html.escape(node.entity.entity_id)}, {node.grain} of {node.period_start}: "
        f"{_fmt(node.value)} vs {_fmt(node.baseline)}"
    )


def trail_html(trail: Explanation) -> str:
    """The breadcrumb trail of a red metric as an ordered list."""
    items = [f"<li>{_node_text(trail.start.node)}</li>"]
    for step in trail.steps:
        evidence = "".join(
            f'<div class="ev">{html.escape(e.kind)} {html.escape(e.id)}: '
            f"{html.escape(e.detail)}</div>"
            for e in [e for e in step.evidence if e.kind != "metric"][:2]
        )
        items.append(f"<li>{html.escape(step.edge)} ← {_node_text(step.node)}{evidence}</li>")
    if trail.root is not None:
        root = trail.root
        items.append(
            f'<li class="root">root cause: {html.escape(root.metric.metric_id)} on '
            f"{html.escape(root.entity.entity_id)}</li>"
        )
    else:
        items.append('<li class="root">no anomalous driver</li>')
    return f'<ol class="trail">{"".join(items)}</ol>'


def card_html(card: MetricCard) -> str:
    """One node of the tree."""
    drivers = " ".join(f"{d}:{edge}" for d, edge in card.drivers)
    entity = f"{card.entity.entity_type} {card.entity.entity_id}" if card.entity else "no data"
    reds = (
        f"<div class=\"drivers\">red on: {html.escape(', '.join(card.red_entities))}</div>"
        if card.red_entities else ""
    )
    trail = ""
    if card.trail is not None:
        trail = f"<details open><summary>why</summary>{trail_html(card.trail)}</details>"
    driver_text = ", ".join(f"{d} ({edge})" for d, edge in card.drivers) or "leaf"
    return (
        f'<div class="node status-{card.status}" id="node-{html.escape(card.metric_id)}" '
        f'data-metric="{html.escape(card.metric_id)}" data-status="{card.status}" '
        f'data-drivers="{html.escape(drivers)}" title="{html.escape(card.decision)}">'
        f'<div class="label">{html.escape(card.label)}</div>'
        f'<div class="id">{html.escape(card.metric_id)} · {html.escape(card.unit)}</div>'
        f'<div class="value">{html.escape(entity)}: <b>{_fmt(card.value)}</b> '
        f"(baseline {_fmt(card.baseline)}) · {card.status}</div>"
        f"{sparkline(card.series)}{reds}"
        f'<div class="drivers">← {html.escape(driver_text)}</div>'
        f'<div class="drivers">counterbalance: {html.escape(card.counterbalance)}</div>'
        f"{trail}</div>"
    )


def lenses_html(cards: list[MetricCard]) -> str:
    """Business outcomes in three columns, one per value lens, so a leader sees what
    engineering protects, enables and saves, not just delivery speed."""
    groups = [(lens, LENS_TITLES[lens]) for lens in VALUE_LENSES]
    if any(c.value_lens not in VALUE_LENSES for c in cards):
        groups.append(("none", "No value lens"))
    columns = []
    for lens, title in groups:
        members = [c for c in cards if (c.value_lens if c.value_lens in VALUE_LENSES
                                        else "none") == lens]
        body = "".join(card_html(c) for c in members) or '<div class="id">none declared</div>'
        columns.append(f'<div class="lens" data-lens="{lens}"><h3>{title}</h3>{body}</div>')
    return f'<div class="lenses">{"".join(columns)}</div>'


def render_html(cards: list[MetricCard], source: str, brief: str = "") -> str:
    """The whole page."""
    columns = []
    for layer in LAYERS:
        layer_cards = [c for c in cards if c.layer == layer]
        body = (lenses_html(layer_cards) if layer == "business_outcome"
                else "".join(card_html(c) for c in layer_cards))
        columns.append(
            f'<section class="layer" data-layer="{layer}"><h2>{LAYER_TITLES[layer]}</h2>'
            + body + "</section>"
        )
    counts = {s: sum(1 for c in cards if c.status == s) for s in ("red", "amber", "green")}
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Breadcrumbs — metric tree health</title>"
        f"<style>{CSS}</style></head><body>"
        "<h1>Breadcrumbs — metric tree health</h1>"
        f'<div class="sub">{len(cards)} metrics from {html.escape(source)}, latest complete '
        f"period of each; generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. "
        "Solid lines: formula edges; dashed: causal edges.</div>"
        f'<div class="legend"><span class="status-red node">red {counts["red"]}</span>'
        f'<span class="status-amber node">amber {counts["amber"]}</span>'
        f'<span class="status-green node">green {counts["green"]}</span></div>'
        f'<div id="tree"><svg id="edges"></svg>{"".join(columns)}</div>'
        f"{brief}"
        f"<script>{SCRIPT}</script></body></html>"
    )


def weekly_brief(wh: Warehouse) -> str:
    """The default weekly brief (`breadcrumbs review`) as a section; a note instead when the
    warehouse predates metric_health and service_criticality."""
    try:
        brief = build_brief(wh)
    except (WarehouseError, ReviewError) as error:
        return (f'<section id="review"><h2>Weekly review</h2>'
                f"<p>{html.escape(str(error))}</p></section>")
    return to_html(brief)


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Build the report from the warehouse into `out` (default build/report/index.html)."""
    target = out or resolve_paths().root / "build" / "report" / "index.html"
    wh = open_warehouse(warehouse)
    try:
        cards = load_cards(wh)
        brief = weekly_brief(wh)
    finally:
        wh.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(cards, warehouse.name, brief), encoding="utf-8")
    return target

"""Render the report: one self-contained HTML file (inline CSS, SVG and a few lines of script;
no network), written for a director (docs/report.md).

Top to bottom: the business outcomes as cards, grouped by value lens, with their status; for
each red one its trail as one sentence (steps and evidence expand below it); one driver tree
per outcome, laid out at build time (breadcrumbs/report/layout.py); the weekly brief.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
from pathlib import Path

from breadcrumbs.project import resolve_paths
from breadcrumbs.report import wording
from breadcrumbs.report.data import VALUE_LENSES, MetricCard, load_cards, load_currency
from breadcrumbs.report.tree import DriverTree, driver_tree
from breadcrumbs.review.brief import ReviewError, build_brief
from breadcrumbs.review.render import to_html
from breadcrumbs.warehouse import Warehouse, WarehouseError, open_warehouse
from breadcrumbs.why.model import Evidence, Explanation, Node

LENS_TITLES = {
    "protects": "Protects revenue",
    "enables": "Enables revenue",
    "reduces_cost": "Reduces cost",
    "none": "No value lens",
}
EVIDENCE_TITLES = {
    "incident": "incidents", "deployment": "failed deployments", "ci_run": "flaky CI runs",
    "pull_request": "pull requests", "customer": "customers", "revenue_at_risk": "days at risk",
    "cloud_cost": "cloud cost lines",
}
STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}

CSS = """
* { box-sizing: border-box; }
html { overflow-wrap: normal; word-break: normal; hyphens: manual; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
       margin: 0; color: #1f2328; background: #f6f8fa; font-size: 14px; line-height: 1.4; }
main { max-width: 1360px; margin: 0 auto; padding: 8px 20px 24px; }
h1 { font-size: 1.35rem; margin: 0; }
h2 { font-size: 1rem; margin: 10px 0 6px; }
.head { display: flex; justify-content: space-between; align-items: baseline; gap: 16px; }
.sub { color: #57606a; font-size: 12.5px; margin: 2px 0 8px; }
.counts span { margin-left: 10px; font-weight: 600; white-space: nowrap; }
.pill { display: inline-block; border-radius: 9px; padding: 0 7px; color: #fff;
        font-size: 11px; font-weight: 600; line-height: 17px; white-space: nowrap; }
.pill.red { background: #cf222e; } .pill.amber { background: #9a6700; }
.pill.green { background: #1a7f37; } .pill.none { background: #8c959f; }
.pill.incomplete { background: #8c959f; }
#outcomes .lenses { display: grid; gap: 14px; grid-template-columns: 2fr 2fr 1fr; }
.lens h2 { margin: 4px 0 6px; font-size: 12px; text-transform: uppercase;
           letter-spacing: .04em; color: #57606a; }
.lens .cards { display: grid; gap: 8px; grid-template-columns: repeat(var(--n), minmax(0, 1fr)); }
.card { display: block; color: inherit; text-decoration: none; background: #fff;
        border: 1px solid #d0d7de; border-left: 5px solid #8c959f; border-radius: 6px;
        padding: 4px 8px 5px; min-height: 66px; }
.card:hover { border-color: #0969da; }
.card.red { border-left-color: #cf222e; background: #fff8f8; }
.card.amber { border-left-color: #bf8700; } .card.green { border-left-color: #2da44e; }
.card.incomplete { border-left-style: dashed; }
.card .top { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 6px;
             align-items: baseline; }
.card .top .pill { margin-left: auto; }
.card .label { font-weight: 600; font-size: 13px; }
.card .value { font-size: 17px; font-weight: 600; }
.card .usual { color: #57606a; font-size: 12px; font-weight: 400; }
.card .where { color: #57606a; font-size: 11.5px; line-height: 1.3; }
.card svg.spark { display: block; width: 100%; height: 16px; margin-top: 2px; }
#why p.none { color: #57606a; margin: 0; }
#why details.trail { background: #fff; border: 1px solid #d0d7de; border-left: 5px solid #cf222e;
                     border-radius: 6px; margin: 0 0 3px; padding: 1px 10px; }
#why summary { cursor: pointer; font-size: 12.5px; line-height: 1.35; }
#why summary a { color: inherit; }
.step-list { margin: 6px 0 4px; padding-left: 20px; font-size: 12.5px; }
.step-list li { margin: 1px 0; }
.evidence { margin: 4px 0 4px 4px; font-size: 12.5px; }
.evidence summary { font-size: 12.5px !important; color: #0969da; }
.evidence ul { margin: 2px 0 6px; padding-left: 20px; }
.evidence li { margin: 1px 0; }
.muted { color: #57606a; }
#trees .legend { color: #57606a; font-size: 12px; margin: 0 0 6px; }
#trees .legend svg { vertical-align: middle; }
.tree-list { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; }
details.tree { background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
               padding: 4px 8px; }
details.tree[open] { grid-column: 1 / -1; padding-bottom: 8px; }
details.tree > summary { cursor: pointer; font-size: 13px; }
details.tree > summary .muted { font-size: 12px; }
.canvas { position: relative; margin: 8px 0 0; }
.canvas svg.edges { position: absolute; left: 0; top: 0; overflow: visible; }
.edge { fill: none; stroke: #8c959f; stroke-width: 1.3; }
.edge.causal { stroke-dasharray: 5 3; }
.edge.on-trail { stroke: #cf222e; stroke-width: 2.6; }
.tnode { position: absolute; background: #fff; border: 1px solid #d0d7de;
         border-left: 4px solid #8c959f; border-radius: 5px; padding: 2px 5px;
         font-size: 11.5px; line-height: 13px; overflow: hidden; }
.tnode.red { border-left-color: #cf222e; } .tnode.amber { border-left-color: #bf8700; }
.tnode.green { border-left-color: #2da44e; }
.tnode.trail { border: 2px solid #cf222e; border-left-width: 4px; background: #fff5f5; }
.tnode.root { box-shadow: 0 0 0 2px #cf222e55; }
.tnode .l { display: block; font-weight: 600; }
.tnode .v { display: block; color: #57606a; white-space: nowrap; overflow: hidden;
            text-overflow: ellipsis; }
.loose { font-size: 12.5px; color: #57606a; margin: 8px 0 0; }
#review { margin-top: 20px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
          padding: 4px 16px 12px; font-size: 13.5px; }
#review table { border-collapse: collapse; margin: 6px 0; }
#review th, #review td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
#review ul { list-style: square; padding-left: 20px; }
"""

# open the driver tree a card or a sentence links to (#tree-<metric>)
SCRIPT = """
(function () {
  function open() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  }
  window.addEventListener('hashchange', open);
  open();
})();
"""


NB_HYPHEN = "\u2011"  # a card label never breaks at its hyphen ("Customer‑reported")


def sparkline(series: list[float], width: int = 84, height: int = 22,
              stretch: bool = False) -> str:
    """An inline SVG polyline of the series (min–max scaled); `stretch` fills its box's width
    (CSS sizes it; the line keeps its stroke width)."""
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
    if stretch:
        return (
            f'<svg class="spark" viewBox="0 0 {width} {height}" preserveAspectRatio="none">'
            f'<polyline fill="none" stroke="#0969da" stroke-width="1.4" '
            f'vector-effect="non-scaling-stroke" points="{points}"/></svg>'
        )
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="#0969da" stroke-width="1.4" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.2" fill="#0969da"/></svg>'
    )


def _e(text: object) -> str:
    return html.escape(str(text))


def _reading(node: Node, currency: str) -> str:
    """"$87,000 in October 2026 (usually $0)"."""
    unit = node.metric.unit
    when = wording.period(node.period_start, node.grain)
    when = {"day": "on ", "week": "in the "}.get(node.grain, "in ") + when
    return (f"{wording.number(node.value, unit, currency)} {when} "
            f"(usually {wording.number(node.baseline, unit, currency)})")


def _status_pill(status: str) -> str:
    return f'<span class="pill {_e(status)}">{_e(status)}</span>'


def card_html(card: MetricCard, currency: str) -> str:
    """A business outcome's card: status, value against its usual, entity and period."""
    value = wording.number(card.value, card.unit, currency)
    usual = wording.number(card.baseline, card.unit, currency)
    others = [wording.short_entity(r) for r in card.red if r != card.entity]
    also = f" · also red: {_e(', '.join(others))}" if others else ""
    when = wording.short_period(card.period_start, card.grain)
    where = (f"{_e(wording.short_entity(card.entity))}, {_e(when)}" if card.entity
             else "no complete period yet")
    full = (f"{wording.entity(card.entity)}, {wording.period(card.period_start, card.grain)}"
            if card.entity else "no complete period yet")
    return (
        f'<a class="card {_e(card.status)}" href="#tree-{_e(card.metric_id)}" '
        f'data-metric="{_e(card.metric_id)}" data-status="{_e(card.status)}" '
        f'title="{_e(card.decision)}">'
        f'<div class="top"><span class="label">{_e(card.label).replace("-", NB_HYPHEN)}</span>'
        f"{_status_pill(card.status)}</div>"
        f'<div class="value">{_e(value)} <span class="usual">usually {_e(usual)}</span></div>'
        f'<div class="where" title="{_e(full)}">{where}{also}</div>'
        f"{sparkline(card.series, stretch=True)}</a>"
    )


MAX_CARD_COLUMNS = 8  # across all lenses: narrower cards would break a label mid-word


def cards_per_row(sizes: list[int]) -> list[int]:
    """Cards per row of each lens (1 to 3): the fewest rows in the tallest lens, so no lens
    runs much taller than the others and the red trails stay on the first screen; then the
    fewest card columns in all (wider cards) within MAX_CARD_COLUMNS."""
    best: tuple[int, int, tuple[int, ...]] | None = None
    for choice in itertools.product(range(1, 4), repeat=len(sizes)):
        if sum(choice) > MAX_CARD_COLUMNS or any(
                n > 0 and per > n for n, per in zip(sizes, choice, strict=True)):
            continue
        rows = max((math.ceil(n / per) for n, per in zip(sizes, choice, strict=True)),
                   default=0)
        key = (rows, sum(choice), choice)
        if best is None or key < best:
            best = key
    return list(best[2]) if best else [1] * len(sizes)


def outcomes_html(outcomes: list[MetricCard], currency: str) -> str:
    """The outcome cards in three columns, one per value lens: what engineering protects,
    enables and saves."""
    lenses = list(VALUE_LENSES)
    if any(c.value_lens not in VALUE_LENSES for c in outcomes):
        lenses.append("none")
    columns, widths = [], []
    groups = [[c for c in outcomes
               if (c.value_lens if c.value_lens in VALUE_LENSES else "none") == lens]
              for lens in lenses]
    for lens, members, per_row in zip(lenses, groups, cards_per_row([len(g) for g in groups]),
                                      strict=True):
        widths.append(f"{per_row}fr")
        body = "".join(card_html(c, currency) for c in members) or (
            '<p class="muted">none declared</p>')
        columns.append(
            f'<div class="lens" data-lens="{lens}"><h2>{LENS_TITLES[lens]} ({len(members)})</h2>'
            f'<div class="cards" style="--n:{per_row}">{body}</div></div>'
        )
    return (f'<section id="outcomes" data-layer="business_outcome">'
            f'<div class="lenses" style="grid-template-columns: {" ".join(widths)}">'
            f'{"".join(columns)}</div></section>')


def _named(node: Node, previous: Node | None, currency: str) -> str:
    """A step's metric inside the sentence, with its entity when that changed."""
    name = wording.in_sentence(node.metric.label)
    if previous is None or node.entity != previous.entity:
        name += f" of {wording.entity(node.entity)}"
    detail = f"{node.metric.label}, {wording.entity(node.entity)}: {_reading(node, currency)}"
    return f'<span class="step" title="{_e(detail)}">{_e(name)}</span>'


def trail_sentence(card: MetricCard, trail: Explanation, currency: str) -> str:
    """The trail of a red outcome as one sentence (HTML): the outcome, the metrics the walk
    went through, and the root cause with its value and period."""
    start = trail.start.node
    text = (f'<b>{_e(card.label)}</b> for {_e(wording.entity(start.entity))} stood at '
            f"{_e(_reading(start, currency))}")
    root = trail.root
    passed = [s.node for s in trail.steps if root is None or s.node is not root]
    names, previous = [], start
    for node in passed:
        names.append(_named(node, previous, currency))
        previous = node
    through = ""
    if names:
        through = " through " + (", ".join(names[:-1]) + " and " + names[-1]
                                 if len(names) > 1 else names[0])
    if root is not None and root is start:
        return text + ", and nothing upstream moved: it is its own root cause."
    if root is not None:
        root_name = wording.in_sentence(root.metric.label)
        return (f"{text}, traced{through} to its root cause, <b>{_e(root_name)} of "
                f"{_e(wording.entity(root.entity))}</b> at {_e(_reading(root, currency))}.")
    if trail.note == "counts":
        reason = ("ordinary variation in which customers moved, each count within its plan's "
                  "usual rate")
    elif trail.note == "threshold":
        reason = "it crossed its fixed threshold, but no driver moved beyond its usual noise"
    else:
        reason = "no driver upstream moved beyond its usual noise"
    traced = f", traced{through}" if names else ""
    return f"{text}{traced}; no root cause: {reason}."


def _evidence_line(item: Evidence) -> str:
    detail, _, url = item.detail.partition(" — http")
    link = (f' <a href="http{_e(url)}" rel="noreferrer">open</a>' if url else "")
    return (f"<li><b>{_e(item.id)}</b> <span class=\"muted\">{_e(item.at[:16])}</span> "
            f"{_e(detail)}{link}</li>")


def evidence_html(trail: Explanation) -> str:
    """The trail's evidence, each item once (by kind and id), as one expandable list per kind,
    the root cause's first."""
    groups: dict[str, list[Evidence]] = {}
    seen: set[tuple[str, str]] = set()
    for step in [*reversed(trail.steps), trail.start]:
        for item in step.evidence:
            if item.kind != "metric" and (item.kind, item.id) not in seen:
                seen.add((item.kind, item.id))
                groups.setdefault(item.kind, []).append(item)
    if not groups:
        return '<p class="muted evidence">No incident, deployment, CI run or customer record ' \
               "in the trail's periods.</p>"
    return "".join(
        f'<details class="evidence"><summary>{len(items)} '
        f"{_e(EVIDENCE_TITLES.get(kind, kind))}</summary>"
        f'<ul>{"".join(_evidence_line(i) for i in items)}</ul></details>'
        for kind, items in groups.items()
    )


def steps_html(trail: Explanation, currency: str) -> str:
    """Each step of the trail on one line: edge, metric, entity, period, value, usual, status."""
    items = []
    for step in [trail.start, *trail.steps]:
        node = step.node
        edge = "" if step is trail.start else f'<span class="muted">← {_e(step.edge)}</span> '
        root = " <b>root cause</b>" if node is trail.root else ""
        items.append(
            f"<li>{edge}<b>{_e(node.metric.label)}</b>, {_e(wording.entity(node.entity))}: "
            f"{_e(_reading(node, currency))} {_status_pill(node.status)}{root}</li>"
        )
    return f'<ol class="step-list">{"".join(items)}</ol>'


def why_html(outcomes: list[MetricCard], currency: str) -> str:
    """One sentence per red outcome; its steps and evidence expand under it."""
    reds = [c for c in outcomes if c.status == "red"]
    if not reds:
        return ('<section id="why"><h2>Why the red outcomes are red</h2>'
                '<p class="none">No business outcome is red in its latest complete period.'
                "</p></section>")
    parts = []
    for card in reds:
        if card.trail is None:
            body = (f"<b>{_e(card.label)}</b> is red for {_e(wording.entity(card.entity))}; "
                    "the walk found no node for it in the warehouse.")
            parts.append(f'<details class="trail" data-metric="{_e(card.metric_id)}">'
                         f"<summary>{body}</summary></details>")
            continue
        parts.append(
            f'<details class="trail" data-metric="{_e(card.metric_id)}">'
            f"<summary>{trail_sentence(card, card.trail, currency)}</summary>"
            f"{steps_html(card.trail, currency)}{evidence_html(card.trail)}"
            f'<p class="muted evidence"><a href="#tree-{_e(card.metric_id)}">Its driver tree'
            "</a></p></details>"
        )
    return (f'<section id="why"><h2>Why the red outcomes are red</h2>{"".join(parts)}'
            "</section>")


def _tree_node(tree: DriverTree, metric_id: str, cards: dict[str, MetricCard],
               currency: str) -> str:
    placed = tree.layout.nodes[metric_id]
    card = cards[metric_id]
    on_trail = tree.trail_nodes.get(metric_id)
    if on_trail is not None:
        value = wording.number(on_trail.value, card.unit, currency)
        where, status = wording.short_entity(on_trail.entity), on_trail.status
        detail = f"on the trail: {wording.entity(on_trail.entity)}, {_reading(on_trail, currency)}"
    else:
        value = wording.number(card.value, card.unit, currency)
        where, status = wording.short_entity(card.entity), card.status
        detail = (f"{wording.entity(card.entity)}, {wording.period(card.period_start, card.grain)}"
                  f": {value} (usually {wording.number(card.baseline, card.unit, currency)})")
    classes = ["tnode", status]
    if on_trail is not None:
        classes.append("trail")
    if metric_id == tree.root_cause:
        classes.append("root")
    box = tree.box
    return (
        f'<div class="{" ".join(classes)}" data-node="{_e(metric_id)}" '
        f'style="left:{placed.x:.0f}px;top:{placed.y:.0f}px;width:{box.width:.0f}px;'
        f'height:{box.height:.0f}px" title="{_e(card.label)} ({_e(status)}) — {_e(detail)}">'
        f'<span class="l">{_e(card.label).replace("-", "-<wbr>")}</span>'
        f'<span class="v">{_e(value)}{" · " + _e(where) if where else ""}</span></div>'
    )


def _path(points: tuple[tuple[float, float], ...]) -> str:
    """Curves between columns, straight through the columns an edge passes."""
    (x, y), rest = points[0], points[1:]
    out = [f"M{x:.1f},{y:.1f}"]
    for i, (x2, y2) in enumerate(rest):
        if i % 2 == 0:
            mid = (x + x2) / 2
            out.append(f"C{mid:.1f},{y:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}")
        else:
            out.append(f"L{x2:.1f},{y2:.1f}")
        x, y = x2, y2
    return " ".join(out)


def tree_html(tree: DriverTree, cards: dict[str, MetricCard], currency: str,
              is_open: bool = False) -> str:
    """One outcome's driver tree: boxes placed by the layout, edges as SVG paths."""
    outcome = cards[tree.outcome]
    layout = tree.layout
    edges = []
    for route in layout.routes:
        kind = tree.edge_kind[(route.source, route.target)]
        trail = " on-trail" if (route.source, route.target) in tree.trail_edges else ""
        edges.append(f'<path class="edge {kind}{trail}" data-from="{_e(route.source)}" '
                     f'data-to="{_e(route.target)}" d="{_path(route.points)}"/>')
    nodes = "".join(_tree_node(tree, m, cards, currency) for m in layout.nodes)
    drivers = len(layout.nodes) - 1
    red = sum(1 for m in layout.nodes if m != tree.outcome and cards[m].status == "red")
    if drivers:
        summary_tail = f"{drivers} driver{'s' if drivers != 1 else ''}, {red} red in their " \
                       "latest period"
        if tree.trail_nodes:
            summary_tail += f"; the trail runs through {len(tree.trail_nodes) - 1}"
    else:
        summary_tail = f"no drivers: {outcome.leaf_reason or 'a leaf of the tree'}"
    canvas = ""
    if drivers:
        canvas = (
            f'<div class="canvas" style="width:{layout.width:.0f}px;height:{layout.height:.0f}px">'
            f'<svg class="edges" width="{layout.width:.0f}" height="{layout.height:.0f}" '
            f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}">{"".join(edges)}</svg>'
            f"{nodes}</div>"
        )
    return (
        f'<details class="tree" id="tree-{_e(tree.outcome)}" data-outcome="{_e(tree.outcome)}" '
        f'data-crossings="{layout.crossings}"{" open" if is_open and drivers else ""}>'
        f"<summary><b>{_e(outcome.label)}</b> {_status_pill(outcome.status)} "
        f'<span class="muted">{_e(summary_tail)}</span></summary>{canvas}</details>'
    )


LEGEND = (
    '<p class="legend">Each outcome on the left, its drivers to the right of what they drive. '
    '<svg width="28" height="8"><path class="edge" d="M0,4 L28,4"/></svg> formula (the driver '
    'is part of the number) '
    '<svg width="28" height="8"><path class="edge causal" d="M0,4 L28,4"/></svg> causal '
    '<svg width="28" height="8"><path class="edge on-trail" d="M0,4 L28,4"/></svg> the red '
    "outcome's trail. Box colour: each metric's status in its latest complete period, or on "
    "the trail (framed red) its status in the trail's period; hover a box for its numbers.</p>"
)


def trees_html(outcomes: list[MetricCard], cards: dict[str, MetricCard], currency: str) -> str:
    """One driver tree per outcome, then the metrics no outcome depends on. Open: the tree of
    the first red outcome (in card order) for each root cause found, so the page shows each
    trail once; a red outcome without a root cause upstream (its movement is ordinary, or
    nothing upstream moved, so it is its own root cause) has no trail to draw, so its tree
    stays closed like the others: a card or a sentence opens any of them."""
    trees = [driver_tree(c, cards) for c in outcomes]
    opened, causes = set(), set()
    for card in outcomes:
        if card.status == "red" and card.trail is not None and card.trail.root is not None:
            root = card.trail.root
            if root.metric.metric_id == card.metric_id:
                continue
            cause = (root.metric.metric_id, root.entity)
            if cause not in causes:
                causes.add(cause)
                opened.add(card.metric_id)
    shown = sorted(trees, key=lambda t: t.outcome not in opened)  # open ones first (stable)
    in_trees = {m for t in trees for m in t.layout.nodes}
    loose = sorted((c for c in cards.values() if c.metric_id not in in_trees),
                   key=lambda c: (STATUS_ORDER.get(c.status, 3), c.label))
    loose_html = ""
    if loose:
        loose_html = ('<p class="loose">In no outcome\'s tree (operational metrics): '
                      + ", ".join(f'<span data-loose="{_e(c.metric_id)}">{_e(c.label)} '
                                  f"{_status_pill(c.status)}</span>" for c in loose) + "</p>")
    body = "".join(tree_html(t, cards, currency, t.outcome in opened) for t in shown)
    return (f'<section id="trees"><h2>Driver trees</h2>{LEGEND}<div class="tree-list">'
            f"{body}</div>{loose_html}</section>")


def _outcome_order(card: MetricCard) -> tuple[int, str]:
    return STATUS_ORDER.get(card.status, 3), card.label


def render_html(cards: list[MetricCard], source: str, brief: str = "",
                currency: str = "") -> str:
    """The whole page."""
    by_id = {c.metric_id: c for c in cards}
    outcomes = sorted((c for c in cards if c.layer == "business_outcome"), key=_outcome_order)
    counts = {s: sum(1 for c in outcomes if c.status == s) for s in ("red", "amber", "green")}
    periods = sorted({(c.grain, c.period_start) for c in outcomes if c.period_start})
    latest = ", ".join(f"{grain}s to {wording.period(start, grain)}" for grain, start in
                       [(g, max(p for gg, p in periods if gg == g)) for g in
                        sorted({g for g, _ in periods})])
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Breadcrumbs — business outcomes and their drivers</title>"
        f"<style>{CSS}</style></head><body><main>"
        '<div class="head"><h1>Business outcomes and what drives them</h1>'
        f'<div class="counts"><span>{len(outcomes)} outcomes:</span>'
        f'<span>{counts["red"]} {_status_pill("red")}</span>'
        f'<span>{counts["amber"]} {_status_pill("amber")}</span>'
        f'<span>{counts["green"]} {_status_pill("green")}</span></div></div>'
        f'<div class="sub">Each outcome in its latest complete period ({_e(latest)}), for the '
        "entity where it is worst, against its usual value (the robust baseline). From "
        f"{_e(source)}, generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. "
        "A card opens its driver tree.</div>"
        f"{outcomes_html(outcomes, currency)}"
        f"{why_html(outcomes, currency)}"
        f"{trees_html(outcomes, by_id, currency)}"
        f"{brief}"
        f"</main><script>{SCRIPT}</script></body></html>"
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
        currency = load_currency(wh)
        brief = weekly_brief(wh)
    finally:
        wh.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(cards, warehouse.name, brief, currency), encoding="utf-8")
    return target

"""One business outcome's driver tree: the outcome and every metric upstream of it in the
catalog, laid out to fit the report's width, with the red outcome's trail marked."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from breadcrumbs.report.data import MetricCard
from breadcrumbs.report.layout import Box, Layout, columns_of, layered_layout
from breadcrumbs.why.model import Node

TREE_WIDTH = 1290  # px available to a tree in the report's 1,360 px column (docs/report.md)
MAX_BOX_WIDTH = 150
COLUMN_GAP = 18
CHAR_WIDTH = 6.9  # a bold 11.5 px character of Arial / Liberation Sans, rounded up
LINE = 13  # px per line of a box (11.5 px text)
BOX_CHROME = 16  # borders and padding of a box, horizontally


@dataclass
class DriverTree:
    """The layout of one outcome's tree and what the report marks on it."""

    outcome: str
    layout: Layout
    box: Box
    edge_kind: dict[tuple[str, str], str]
    trail_nodes: dict[str, Node] = field(default_factory=dict)
    trail_edges: set[tuple[str, str]] = field(default_factory=set)
    root_cause: str | None = None


def tree_edges(outcome: str, cards: dict[str, MetricCard]) -> dict[tuple[str, str], str]:
    """(driven, driver) → edge kind for every edge upstream of `outcome`, breadth first in
    the catalog's driver order."""
    edges: dict[tuple[str, str], str] = {}
    queue, seen = [outcome], {outcome}
    while queue:
        metric = queue.pop(0)
        for driver, kind in cards[metric].drivers:
            if driver not in cards:
                continue
            edges[(metric, driver)] = kind
            if driver not in seen:
                seen.add(driver)
                queue.append(driver)
    return edges


def label_lines(label: str, width: float) -> int:
    """Lines a label takes in a box `width` px wide, wrapping between words and after a
    word's hyphen only (the node renders `-<wbr>`: "Customer-" ends a line, never "Custo")."""
    per_line = max(1, math.floor((width - BOX_CHROME) / CHAR_WIDTH))
    lines, used = 1, 0
    for word in label.split():
        for i, piece in enumerate(re.findall(r"[^-]+-?|-", word)):
            space = 1 if used and i == 0 else 0
            if used and used + space + len(piece) > per_line:
                lines, used = lines + 1, len(piece)
            else:
                used += space + len(piece)
    return lines


def box_for(columns: int, labels: list[str]) -> Box:
    """Boxes as wide as the columns allow (at most MAX_BOX_WIDTH) and tall enough for the
    longest label plus the value line."""
    width = min(MAX_BOX_WIDTH, math.floor((TREE_WIDTH + COLUMN_GAP) / columns - COLUMN_GAP))
    lines = max((label_lines(label, width) for label in labels), default=1)
    return Box(width=width, height=(lines + 1) * LINE + 8, column_gap=COLUMN_GAP,
               row_gap=6, bend_gap=6)


def driver_tree(outcome: MetricCard, cards: dict[str, MetricCard]) -> DriverTree:
    """The tree of `outcome`, its layout, and its trail when it is red."""
    edge_kind = tree_edges(outcome.metric_id, cards)
    columns = max(columns_of(outcome.metric_id, list(edge_kind)).values()) + 1
    members = {outcome.metric_id, *(m for edge in edge_kind for m in edge)}
    box = box_for(columns, [cards[m].label for m in members])
    tree = DriverTree(outcome.metric_id, layered_layout(outcome.metric_id, list(edge_kind), box),
                      box, edge_kind)
    trail = outcome.trail
    if trail is None:
        return tree
    nodes = [trail.start.node, *(s.node for s in trail.steps)]
    for node in nodes:
        metric = node.metric.metric_id
        if metric in members and metric != outcome.metric_id:
            tree.trail_nodes[metric] = node
    tree.trail_nodes[outcome.metric_id] = trail.start.node
    for a, b in zip(nodes, nodes[1:], strict=False):
        pair = (a.metric.metric_id, b.metric.metric_id)
        if pair in edge_kind:
            tree.trail_edges.add(pair)
    if trail.root is not None and trail.root.metric.metric_id in members:
        tree.root_cause = trail.root.metric.metric_id
    return tree

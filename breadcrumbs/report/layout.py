"""A layered (Sugiyama-style) drawing of a driver tree, computed when the report is built.

The outcome sits in the left column and each driver one column to the right of the rightmost
metric it drives (longest path), so every edge runs left to right. An edge that spans several
columns passes through a bend point in each column between (a "dummy" node, kept out of the
way of the metric boxes). Within a column the order is chosen to avoid crossings: barycenter
sweeps, then adjacent swaps, keeping the order with the fewest crossings. Vertical positions
are the least-squares fit to each node's neighbours under the boxes' spacing (isotonic
regression), so chains run straight.

All segments between two columns leave the left column's right edge and reach the right
column's left edge, with the same horizontal control points, so two of them cross exactly when
their ends are in opposite order: `crossings` counts that, the same number a viewer sees.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

SWEEPS = 24  # barycenter passes, alternately left to right and right to left
RESTARTS = 40  # the first from the catalog's order, the others from shuffled columns


@dataclass(frozen=True)
class Box:
    """The size of the boxes and the gaps between them, in CSS pixels."""

    width: float = 128.0
    height: float = 50.0
    column_gap: float = 24.0
    row_gap: float = 10.0
    bend_gap: float = 8.0  # between a bend point and its neighbours in a column


@dataclass(frozen=True)
class Placed:
    """A metric's box: top-left corner, its column and its rank in the column."""

    node: str
    x: float
    y: float
    column: int
    rank: int


@dataclass(frozen=True)
class Route:
    """An edge from `source` (left, the driven metric) to `target` (right, its driver) as the
    points where it leaves a column and enters the next, left to right."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]


@dataclass
class Layout:
    """Where every box and edge goes; width and height of the drawing."""

    width: float
    height: float
    nodes: dict[str, Placed] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    crossings: int = 0


def columns_of(root: str, edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Column per node: the longest path from `root` along (driven, driver) edges."""
    out: dict[str, list[str]] = {}
    for source, target in edges:
        out.setdefault(source, []).append(target)
    column = {root: 0}
    order = _topological(root, out)
    for node in order:
        for target in out.get(node, []):
            column[target] = max(column.get(target, 0), column[node] + 1)
    return column


def _topological(root: str, out: dict[str, list[str]]) -> list[str]:
    seen: set[str] = set()
    done: list[str] = []

    def visit(node: str, path: frozenset[str]) -> None:
        if node in path:
            raise ValueError(f"driver cycle through {node}: a driver tree must be acyclic")
        if node in seen:
            return
        for target in out.get(node, []):
            visit(target, path | {node})
        seen.add(node)
        done.append(node)

    visit(root, frozenset())
    return done[::-1]


def crossings(ranks: list[list[str]], segments: list[tuple[str, str]]) -> int:
    """Crossings of the segments between neighbouring columns given the order in each column:
    two segments between the same columns cross when their ends are in opposite order."""
    position = {node: i for column in ranks for i, node in enumerate(column)}
    by_column: dict[int, list[tuple[int, int]]] = {}
    column_of = {node: c for c, column in enumerate(ranks) for node in column}
    for source, target in segments:
        by_column.setdefault(column_of[source], []).append((position[source], position[target]))
    total = 0
    for pairs in by_column.values():
        for i, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[i + 1:]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def split_edges(edges: Sequence[tuple[str, str]], column: dict[str, int]
           ) -> tuple[list[tuple[str, str]], dict[tuple[str, str], list[str]], dict[str, int]]:
    """Segments between neighbouring columns, with a bend point per column an edge skips."""
    segments: list[tuple[str, str]] = []
    chains: dict[tuple[str, str], list[str]] = {}
    columns = dict(column)
    for source, target in edges:
        chain = [source]
        for c in range(column[source] + 1, column[target]):
            bend = f"\x00{source}\x00{target}\x00{c}"
            columns[bend] = c
            chain.append(bend)
        chain.append(target)
        chains[(source, target)] = chain
        segments.extend(zip(chain, chain[1:], strict=False))
    return segments, chains, columns


def _sweep(ranks: list[list[str]], left: dict[str, list[str]], right: dict[str, list[str]],
           downward: bool) -> None:
    indices = range(1, len(ranks)) if downward else range(len(ranks) - 2, -1, -1)
    for c in indices:
        fixed = {n: i for i, n in enumerate(ranks[c - 1 if downward else c + 1])}
        neighbours = left if downward else right
        keyed = []
        for i, node in enumerate(ranks[c]):
            near = [fixed[n] for n in neighbours.get(node, []) if n in fixed]
            keyed.append((sum(near) / len(near) if near else float(i), i, node))
        ranks[c] = [node for _, _, node in sorted(keyed)]


def _transpose(ranks: list[list[str]], segments: list[tuple[str, str]]) -> int:
    """Swap neighbours in a column while that removes crossings; the final count."""
    best = crossings(ranks, segments)
    improved = True
    while improved and best:
        improved = False
        for column in ranks:
            for i in range(len(column) - 1):
                column[i], column[i + 1] = column[i + 1], column[i]
                count = crossings(ranks, segments)
                if count < best:
                    best, improved = count, True
                else:
                    column[i], column[i + 1] = column[i + 1], column[i]
    return best


def order(columns: dict[str, int], segments: list[tuple[str, str]],
          first: Sequence[str]) -> tuple[list[list[str]], int]:
    """The order of each column with the fewest crossings found, and that number. `first`
    fixes the starting order (the catalog's driver order, so drawings are stable)."""
    rank_of = {node: i for i, node in enumerate(first)}
    ranks: list[list[str]] = [[] for _ in range(max(columns.values()) + 1)]
    for node in sorted(columns, key=lambda n: rank_of.get(n.split("\x00")[1] if n.startswith(
            "\x00") else n, len(rank_of))):
        ranks[columns[node]].append(node)
    left: dict[str, list[str]] = {}
    right: dict[str, list[str]] = {}
    for source, target in segments:
        right.setdefault(source, []).append(target)
        left.setdefault(target, []).append(source)
    best, best_count = [list(c) for c in ranks], crossings(ranks, segments)
    shuffle = random.Random(0)  # seeded: the same tree always gets the same drawing
    for attempt in range(RESTARTS):
        if not best_count:
            break
        trial = [list(c) for c in ranks]
        if attempt:
            for column in trial:
                shuffle.shuffle(column)
        found, found_count = [list(c) for c in trial], crossings(trial, segments)
        for sweep in range(SWEEPS):
            if not found_count:
                break
            _sweep(trial, left, right, downward=sweep % 2 == 0)
            count = crossings(trial, segments)
            if count < found_count:
                found, found_count = [list(c) for c in trial], count
        found_count = _transpose(found, segments)
        if found_count < best_count:
            best, best_count = found, found_count
    return best, best_count


def _isotonic(wanted: list[float], gaps: list[float], low: float, high: float) -> list[float]:
    """Positions closest (least squares) to `wanted`, in order, each at least gaps[i] below
    the one before, the first at or below `low` and the last at or above `high` (pool
    adjacent violators on the positions less the cumulative gaps, then clipped: optimal for a
    bound shared by all of them, which the gaps make of the two)."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for want, offset in zip(wanted, offsets, strict=True):
        blocks.append([want - offset, 1.0, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, weight2, count2 = blocks.pop()
            mean1, weight1, count1 = blocks.pop()
            weight = weight1 + weight2
            blocks.append([(mean1 * weight1 + mean2 * weight2) / weight, weight,
                           count1 + count2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * count)
    ceiling = max(low, high - offsets[-1])
    return [min(max(z, low), ceiling) + offset for z, offset in zip(out, offsets, strict=True)]


def _heights(ranks: list[list[str]], box: Box) -> dict[str, float]:
    return {n: (0.0 if n.startswith("\x00") else box.height) for c in ranks for n in c}


def _centres(ranks: list[list[str]], segments: list[tuple[str, str]], box: Box
             ) -> dict[str, float]:
    """Vertical centre of every node and bend point."""
    height = _heights(ranks, box)

    def gap(a: str, b: str) -> float:
        bends = a.startswith("\x00") or b.startswith("\x00")
        return (height[a] + height[b]) / 2 + (box.bend_gap if bends else box.row_gap)

    # first packed from the top, each column centred on the tallest; later passes move nodes
    # towards their neighbours but never out of the tallest column's height
    centre: dict[str, float] = {}
    spans = []
    for column in ranks:
        y = 0.0
        for i, node in enumerate(column):
            y += gap(column[i - 1], node) if i else height[node] / 2
            centre[node] = y
        spans.append(y + height[column[-1]] / 2)
    tallest = max(spans)
    for column, span in zip(ranks, spans, strict=True):
        for node in column:
            centre[node] += (tallest - span) / 2
    near: dict[str, list[str]] = {}
    for source, target in segments:
        near.setdefault(source, []).append(target)
        near.setdefault(target, []).append(source)
    for _ in range(12):
        for column in [*ranks, *reversed(ranks)]:
            wanted = [
                sum(centre[n] for n in near.get(node, [])) / len(near[node])
                if near.get(node) else centre[node]
                for node in column
            ]
            gaps = [gap(a, b) for a, b in zip(column, column[1:], strict=False)]
            fitted = _isotonic(wanted, gaps, height[column[0]] / 2,
                               tallest - height[column[-1]] / 2)
            for node, y in zip(column, fitted, strict=True):
                centre[node] = y
    top = min(centre[n] - height[n] / 2 for n in centre)
    return {n: y - top for n, y in centre.items()}


def layered_layout(root: str, edges: Sequence[tuple[str, str]], box: Box | None = None
                   ) -> Layout:
    """Lay out the driver tree of `root`: `edges` are (driven, driver) pairs, in the catalog's
    order; every node must be reachable from `root`."""
    box = box or Box()
    edges = list(dict.fromkeys(edges))
    column = columns_of(root, edges)
    missing = {n for e in edges for n in e} - set(column)
    if missing:
        raise ValueError(f"not drivers of {root}: {', '.join(sorted(missing))}")
    first = [root, *dict.fromkeys(target for _, target in edges)]
    segments, chains, columns = split_edges(edges, column)
    ranks, count = order(columns, segments, first)
    centre = _centres(ranks, segments, box)
    step = box.width + box.column_gap
    layout = Layout(
        width=len(ranks) * step - box.column_gap,
        height=max(centre[n] + _heights(ranks, box)[n] / 2 for n in centre),
        crossings=count,
    )
    for c, nodes in enumerate(ranks):
        for i, node in enumerate(n for n in nodes if not n.startswith("\x00")):
            layout.nodes[node] = Placed(node, c * step, centre[node] - box.height / 2, c, i)
    for (source, target), chain in chains.items():
        points: list[tuple[float, float]] = []
        for node in chain:
            c = columns[node]
            if node.startswith("\x00"):  # a bend: straight through its column
                points += [(c * step, centre[node]), (c * step + box.width, centre[node])]
            elif node == source:
                points.append((c * step + box.width, centre[node]))
            else:
                points.append((c * step, centre[node]))
        layout.routes.append(Route(source, target, tuple(points)))
    return layout

"""The layered layout of driver trees (breadcrumbs/report/layout.py) on hand-worked graphs:
columns by longest path, crossings counted as a reader sees them and removed where the order
can remove them, boxes apart, edges from the right side of a box to the left side of the next
column's box."""

from __future__ import annotations

import pytest

from breadcrumbs.report.layout import Box, _isotonic, columns_of, crossings, layered_layout


def test_columns_are_the_longest_path_from_the_outcome() -> None:
    # a → b → c and a → c directly: c sits right of b, not beside it
    assert columns_of("a", [("a", "b"), ("b", "c"), ("a", "c")]) == {"a": 0, "b": 1, "c": 2}


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="driver cycle"):
        columns_of("a", [("a", "b"), ("b", "a")])


def test_crossings_count_segments_whose_ends_are_in_opposite_order() -> None:
    ranks = [["a", "b"], ["c", "d"]]
    assert crossings(ranks, [("a", "d"), ("b", "c")]) == 1
    assert crossings(ranks, [("a", "c"), ("b", "d")]) == 0
    assert crossings(ranks, [("a", "c"), ("b", "c")]) == 0  # a shared end is no crossing


def test_an_order_that_crosses_is_untangled() -> None:
    # o drives x and y; x is driven by p, y by q, but the catalog lists q's driver first:
    # o → x → p, o → y → q with p listed before q would cross if kept in catalog order
    edges = [("o", "y"), ("o", "x"), ("x", "p"), ("y", "q")]
    layout = layered_layout("o", edges)
    assert layout.crossings == 0
    assert (layout.nodes["x"].rank < layout.nodes["y"].rank) == (
        layout.nodes["p"].rank < layout.nodes["q"].rank)


def test_boxes_keep_apart_and_edges_join_box_sides() -> None:
    box = Box(width=100, height=40, column_gap=20, row_gap=10)
    edges = [("o", "a"), ("o", "b"), ("o", "c"), ("a", "d"), ("b", "d"), ("o", "d")]
    layout = layered_layout("o", edges, box)
    placed = list(layout.nodes.values())
    for i, one in enumerate(placed):
        for other in placed[i + 1:]:
            if one.column == other.column:
                assert abs(one.y - other.y) >= box.height + box.row_gap
    assert layout.crossings == 0
    for route in layout.routes:
        source, target = layout.nodes[route.source], layout.nodes[route.target]
        assert route.points[0] == (source.x + box.width, source.y + box.height / 2)
        assert route.points[-1] == (target.x, target.y + box.height / 2)
    # o → d skips a column: it passes that column straight, level, between the boxes
    skip = next(r for r in layout.routes if (r.source, r.target) == ("o", "d"))
    assert len(skip.points) == 4 and skip.points[1][1] == skip.points[2][1]
    assert layout.width == 3 * 100 + 2 * 20


def test_isotonic_keeps_the_gaps_and_the_bounds() -> None:
    # all three want 0: they spread around it, 10 apart, within [0, 100]
    assert _isotonic([0, 0, 0], [10, 10], 0, 100) == [0, 10, 20]
    assert _isotonic([50, 50, 50], [10, 10], 0, 100) == [40, 50, 60]
    assert _isotonic([95, 95, 95], [10, 10], 0, 100) == [80, 90, 100]

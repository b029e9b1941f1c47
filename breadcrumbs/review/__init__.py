"""`breadcrumbs review`: the weekly handoff brief of a team (docs/weekly-review.md)."""

from __future__ import annotations

from pathlib import Path

from breadcrumbs.review.brief import Brief, ReviewError, build_brief
from breadcrumbs.review.render import to_html, to_markdown
from breadcrumbs.warehouse import open_warehouse

__all__ = ["Brief", "ReviewError", "build_brief", "review", "to_html", "to_markdown"]


def review(warehouse: Path, team: str | None = None, week: str | None = None) -> Brief:
    """Build the brief from the warehouse (opened read-only)."""
    wh = open_warehouse(warehouse)
    try:
        return build_brief(wh, team=team, week=week)
    finally:
        wh.close()

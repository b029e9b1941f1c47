"""`breadcrumbs report`: one static HTML page of the metric tree's health (DESIGN.md §3)."""

from breadcrumbs.report.build import write_report

__all__ = ["write_report"]

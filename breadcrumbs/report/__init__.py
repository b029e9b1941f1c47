"""`breadcrumbs report`: one static HTML page of the metric tree's health (docs/cli.md)."""

from breadcrumbs.report.build import write_report

__all__ = ["write_report"]

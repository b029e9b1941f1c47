"""`breadcrumbs why`: walk a metric's driver tree back to a root cause (DESIGN.md §8)."""

from breadcrumbs.why.walk import explain

__all__ = ["explain"]

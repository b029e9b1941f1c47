"""Breadcrumbs: keep the trail from raw system signals and engineering work to business outcomes."""

__version__ = "0.1.0"

"""Signals (Prometheus) source settings: default queries, step, the samples table."""

from __future__ import annotations

from pipelines.common.hints import columns

DEFAULT_BASE_URL = "http://localhost:9090"
SECRET = "sources.signals.bearer_token"
DEFAULT_QUERIES = {"cpu": "cpu", "latency_p95": "latency_p95", "errors": "errors",
                   "requests": "requests", "feature_usage": "feature_usage"}
DEFAULT_STEP = 3600
DEFAULT_HISTORY_DAYS = 30  # first run without `start`: this far back
MAX_STEPS_PER_QUERY = 10000  # Prometheus refuses more than 11,000 points per series

SAMPLE_KEY = ("metric", "series", "ts")
SAMPLE_COLUMNS = columns({
    "metric": "text", "series": "text", "service": "text", "feature": "text", "customer": "text",
    "ts": "timestamp", "value": "double",
}, SAMPLE_KEY)

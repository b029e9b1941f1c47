"""Prometheus HTTP API `query_range` over a World's series: selectors, step sampling, limits."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from breadcrumbs.simulator.api.common import BadRequest, Request, Response, parse_time
from breadcrumbs.simulator.world import World

MAX_POINTS = 11000
LOOKBACK_SECONDS = 300  # Prometheus' default lookback delta (5m)
SELECTOR = re.compile(r"^\s*(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(?P<body>.*)\})?\s*$")
MATCHER = re.compile(
    r'\s*(?P<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?P<op>=~|!~|!=|=)\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*'
    r"(?:,|$)")
DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$")
UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


@dataclass(frozen=True)
class IndexedSeries:
    labels: dict[str, str]  # including __name__
    times: list[int]
    values: list[float]


def error(status: int, kind: str, message: str) -> Response:
    """Prometheus' error envelope."""
    return Response(status, {"status": "error", "errorType": kind, "error": message})


def format_value(value: float) -> str:
    """A sample value as Prometheus prints it (shortest form, no exponent)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def parse_selector(query: str) -> list[tuple[str, str, str]]:
    """A PromQL vector selector as (label, op, value) matchers, __name__ included."""
    match = SELECTOR.match(query or "")
    if not match or not (match["name"] or match["body"]):
        raise BadRequest(f'invalid parameter "query": parse error: unsupported query {query!r}')
    matchers = [("__name__", "=", match["name"])] if match["name"] else []
    body = (match["body"] or "").strip()
    position = 0
    while position < len(body):
        found = MATCHER.match(body, position)
        if not found:
            raise BadRequest(f'invalid parameter "query": parse error in selector {query!r}')
        value = found["value"].encode().decode("unicode_escape")
        matchers.append((found["label"], found["op"], value))
        position = found.end()
    return matchers


def matches(labels: dict[str, str], matchers: list[tuple[str, str, str]]) -> bool:
    """Whether a series' labels satisfy every matcher (missing label = empty string)."""
    for label, op, value in matchers:
        actual = labels.get(label, "")
        if op == "=" and actual != value or op == "!=" and actual == value:
            return False
        if op in ("=~", "!~") and bool(re.fullmatch(value, actual)) != (op == "=~"):
            return False
    return True


def parse_seconds(raw: str | None, name: str) -> float:
    """A unix timestamp or RFC 3339 time, in seconds."""
    if raw is None:
        raise BadRequest(f'invalid parameter "{name}": missing')
    try:
        return float(raw)
    except ValueError:
        return parse_time(raw).timestamp()


def parse_step(raw: str | None) -> float:
    """A step as seconds (`3600`) or a duration (`1h`)."""
    if raw is None:
        raise BadRequest('invalid parameter "step": missing')
    try:
        return float(raw)
    except ValueError:
        found = DURATION.match(raw)
        if not found:
            raise BadRequest(f'invalid parameter "step": cannot parse "{raw}"') from None
        return float(found[1]) * UNIT_SECONDS[found[2]]


def json_time(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 3)


def _sampled(series: IndexedSeries, start: float, step: float, steps: int) -> list[list]:
    """The series at each grid time start + n*step (n < steps): the latest point at or before
    it, if no older than the lookback. Walks the points, not the grid, so a sparse series (a
    weekly counter) costs its points only."""
    end = start + (steps - 1) * step
    times = series.times
    first = max(0, bisect_right(times, start - LOOKBACK_SECONDS) - 1)
    values = []
    for index in range(first, len(times)):
        t = times[index]
        if t > end:
            break
        limit = min(t + LOOKBACK_SECONDS, times[index + 1] if index + 1 < len(times) else math.inf)
        n = max(0, math.ceil((t - start) / step))
        at = start + n * step
        while at < limit and n < steps:
            if at >= t:
                values.append([json_time(at), format_value(series.values[index])])
            n += 1
            at = start + n * step
    return values


class PrometheusApi:
    """Serves one World's series."""

    def __init__(self, world: World) -> None:
        self.by_name: dict[str, list[IndexedSeries]] = {}
        for series in world.series:
            points = sorted(series.points)
            labels = {"__name__": series.metric, **series.labels}
            self.by_name.setdefault(series.metric, []).append(IndexedSeries(
                labels, [int(t) for t, _ in points], [float(v) for _, v in points]))
        for group in self.by_name.values():
            group.sort(key=lambda s: sorted(s.labels.items()))

    def handle(self, req: Request) -> Response:
        if req.path != "/api/v1/query_range":
            return Response(404, b"404 page not found\n", [("Content-Type", "text/plain")])
        try:
            return self._query_range(req)
        except BadRequest as exc:
            return error(400, "bad_data", str(exc))

    def _query_range(self, req: Request) -> Response:
        matchers = parse_selector(req.arg("query") or "")
        start, end = parse_seconds(req.arg("start"), "start"), parse_seconds(req.arg("end"), "end")
        step = parse_step(req.arg("step"))
        if end < start:
            raise BadRequest('invalid parameter "end": end timestamp must not be before start time')
        if step <= 0:
            raise BadRequest('invalid parameter "step": zero or negative query resolution step '
                             "widths are not accepted. Try a positive integer")
        if (end - start) / step > MAX_POINTS:
            raise BadRequest("exceeded maximum resolution of 11,000 points per timeseries. "
                             "Try decreasing the query resolution (?step=XX)")
        name = next((v for label, op, v in matchers if label == "__name__" and op == "="), None)
        candidates = self.by_name.get(name, []) if name is not None else [
            s for group in self.by_name.values() for s in group]
        steps = int((end - start) // step) + 1
        result = []
        for series in candidates:
            if not matches(series.labels, matchers):
                continue
            values = _sampled(series, start, step, steps)
            if values:
                result.append({"metric": series.labels, "values": values})
        result.sort(key=lambda r: sorted(r["metric"].items()))
        return Response(200, {"status": "success",
                              "data": {"resultType": "matrix", "result": result}})

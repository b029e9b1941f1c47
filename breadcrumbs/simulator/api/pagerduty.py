"""PagerDuty REST v2 incidents and log entries (offset/limit/more pagination)."""

from __future__ import annotations

import re

from breadcrumbs.simulator.api.common import BadRequest, Request, Response, int_arg, parse_time
from breadcrumbs.simulator.world import World

INCIDENT_PATH = re.compile(r"^/incidents/(?P<id>[^/]+)(?P<rest>/log_entries)?$")


def error(status: int, message: str, code: int) -> Response:
    """PagerDuty's error shape."""
    return Response(status, {"error": {"message": message, "code": code}})


def page(req: Request, items: list, key: str) -> Response:
    """One offset/limit page in PagerDuty's envelope (`total` only when total=true)."""
    limit = min(max(int_arg(req, "limit", 25), 1), 100)
    offset = max(int_arg(req, "offset", 0), 0)
    chunk = items[offset: offset + limit]
    total = len(items) if req.arg("total") == "true" else None
    return Response(200, {key: chunk, "limit": limit, "offset": offset, "total": total,
                          "more": offset + len(chunk) < len(items)})


class PagerDutyApi:
    """Serves one World's incidents."""

    def __init__(self, world: World) -> None:
        self.incidents = world.incidents
        self.log_entries = world.log_entries
        self._by_id = {i.get("id"): i for i in world.incidents}

    def handle(self, req: Request) -> Response:
        try:
            if req.method != "GET":
                return error(404, "Not Found", 2100)
            if req.path == "/incidents":
                return self._incidents(req)
            match = INCIDENT_PATH.match(req.path)
            if not match or match["id"] not in self._by_id:
                return error(404, "Not Found", 2100)
            if match["rest"]:
                return page(req, self.log_entries.get(match["id"], []), "log_entries")
            return Response(200, {"incident": self._by_id[match["id"]]})
        except BadRequest as exc:
            return error(400, f"Invalid Input Provided: {exc}", 2001)

    def _incidents(self, req: Request) -> Response:
        incidents = self.incidents
        if req.arg("date_range") != "all":
            since, until = parse_time(req.arg("since")), parse_time(req.arg("until"))
            if since or until:
                incidents = [i for i in incidents if _within(parse_time(i.get("created_at")),
                                                             since, until)]
        return page(req, incidents, "incidents")


def _within(when, since, until) -> bool:
    """since inclusive, until exclusive, like PagerDuty's date range."""
    return when is not None and (since is None or when >= since) and (
        until is None or when < until)

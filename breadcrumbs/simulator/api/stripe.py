"""Stripe list endpoints (`starting_after`/`has_more` cursor pagination, `created[...]` filters,
`expand[]=data.product` on prices) in the shapes of the pinned API version
(`pipelines.revenue.settings.STRIPE_VERSION`, see breadcrumbs/simulator/stripe_shapes.py)."""

from __future__ import annotations

import re

from breadcrumbs.simulator.api.common import BadRequest, Request, Response, int_arg
from breadcrumbs.simulator.stripe_shapes import collapsed
from breadcrumbs.simulator.world import World

LIST_PATH = re.compile(
    r"^/v1/(?P<kind>customers|subscriptions|invoices|credit_notes|prices)$")
OBJECT_NAMES = {"customers": "customer", "subscriptions": "subscription",
                "invoices": "invoice", "credit_notes": "credit note", "prices": "price"}
# the `expand[]` paths each list honours (Stripe answers 400 for an unknown one)
EXPANDABLE = {"prices": {"data.product"}}
CREATED_OPS = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}


def error(status: int, message: str, kind: str = "invalid_request_error", **extra: str) -> Response:
    """Stripe's error shape."""
    return Response(status, {"error": {**extra, "message": message, "type": kind}})


class StripeApi:
    """Serves one World's customers, subscriptions, invoices and credit notes (newest first)."""

    def __init__(self, world: World) -> None:
        self.lists = {"customers": world.customers, "subscriptions": world.subscriptions,
                      "invoices": world.invoices, "credit_notes": world.credit_notes,
                      "prices": world.prices}
        self._positions = {kind: {r.get("id"): n for n, r in enumerate(records)}
                           for kind, records in self.lists.items()}

    def handle(self, req: Request) -> Response:
        # a Stripe-Version other than the pinned one never gets here: the router answers it
        # with Stripe's own 400 (api/accounts.py version_answer), as the simulator serves only
        # the pinned version's shapes
        match = LIST_PATH.match(req.path)
        if req.method != "GET" or not match:
            return error(404, f"Unrecognized request URL (GET: {req.path}).")
        try:
            return self._list(req, match["kind"])
        except BadRequest as exc:
            return error(400, str(exc))

    def _list(self, req: Request, kind: str) -> Response:
        limit = int_arg(req, "limit", 10)
        if not 1 <= limit <= 100:
            return error(400, "This value must be between 1 and 100.", param="limit")
        records = self.lists[kind]
        start = 0
        after = req.arg("starting_after")
        if after:
            position = self._positions[kind].get(after)
            if position is None:
                return error(404, f"No such {OBJECT_NAMES[kind]}: '{after}'",
                             code="resource_missing", param="starting_after")
            start = position + 1
        expand = {v for k, v in req.pairs if k in ("expand[]", "expand")}
        unknown = expand - EXPANDABLE.get(kind, set())
        if unknown:
            return error(400, f"This property cannot be expanded ({sorted(unknown)[0]}).",
                         param="expand")
        keep = self._predicate(req, kind)
        data: list[dict] = []
        has_more = False
        for record in records[start:]:
            if not keep(record):
                continue
            if len(data) == limit:
                has_more = True
                break
            data.append(record if kind != "prices" or "data.product" in expand
                        else collapsed(record))
        return Response(200, {"object": "list", "url": f"/v1/{kind}", "has_more": has_more,
                              "data": data})

    def _predicate(self, req: Request, kind: str):
        """The filters of a list call: created[...], customer, subscription status."""
        bounds = [(compare, _int(raw)) for op, compare in CREATED_OPS.items()
                  if (raw := req.arg(f"created[{op}]"))]
        if req.arg("created"):
            bounds.append((int.__eq__, _int(req.arg("created"))))
        checks = [lambda r: all(isinstance(r.get("created"), int) and c(r["created"], b)
                                for c, b in bounds)]
        customer = req.arg("customer")
        if customer and kind != "customers":
            checks.append(lambda r: r.get("customer") == customer)
        if kind == "subscriptions":
            status = req.arg("status")
            if status is None:
                checks.append(lambda r: r.get("status") != "canceled")
            elif status != "all":
                checks.append(lambda r: r.get("status") == status)
        return lambda record: all(check(record) for check in checks)


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise BadRequest(f"Invalid integer: {raw}") from exc

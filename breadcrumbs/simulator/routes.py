"""Route a request to its simulated API: prefix → source, auth, faults, handler, bytes."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from breadcrumbs.simulator.api.accounts import catalogue_answer, version_answer, version_headers
from breadcrumbs.simulator.api.common import Request, Response
from breadcrumbs.simulator.api.github import GitHubApi
from breadcrumbs.simulator.api.github import source_of as github_source_of
from breadcrumbs.simulator.api.pagerduty import PagerDutyApi
from breadcrumbs.simulator.api.prometheus import PrometheusApi
from breadcrumbs.simulator.api.stripe import StripeApi
from breadcrumbs.simulator.api_faults import FaultInjector, drifted, malformed, transport_fault
from breadcrumbs.simulator.world import World

DEFAULT_TOKEN = "sim-token"
PREFIX_SOURCES = {"/github": ("github", "ci"), "/pagerduty": ("incidents",),
                  "/stripe": ("revenue",), "/prometheus": ("signals",)}
SOURCE_PREFIX = {"github": "/github", "ci": "/github", "incidents": "/pagerduty",
                 "revenue": "/stripe", "signals": "/prometheus"}


@dataclass(frozen=True)
class Answer:
    """What the HTTP layer writes back."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def presented_token(prefix: str, authorization: str) -> str | None:
    """The token in an Authorization header, in the scheme the API behind `prefix` accepts."""
    scheme, _, value = authorization.strip().partition(" ")
    scheme = scheme.lower()
    if prefix == "/github" and scheme in ("bearer", "token"):
        return value.strip()
    if prefix == "/pagerduty" and scheme == "token" and value.strip().startswith("token="):
        return value.strip()[len("token="):]
    if prefix == "/stripe" and scheme == "basic":
        try:
            return base64.b64decode(value.strip()).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            return None
    if prefix in ("/stripe", "/prometheus") and scheme == "bearer":
        return value.strip()
    return None


def unauthorized(prefix: str) -> Response:
    """The API's own 401."""
    bodies = {
        "/github": {"message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest"},
        "/pagerduty": {"error": {"message": "Authentication failed", "code": 2006}},
        "/stripe": {"error": {"message": "Invalid API Key provided.",
                              "type": "invalid_request_error"}},
        "/prometheus": {"status": "error", "errorType": "unauthorized",
                        "error": "authentication required"},
    }
    headers = [("WWW-Authenticate", 'Basic realm="Stripe"')] if prefix == "/stripe" else []
    return Response(401, bodies[prefix], headers)


class Router:
    """Dispatches requests for one World; holds the per-server attempt counters."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.faults = FaultInjector(world.seed, world.api_faults)
        self.apis = {"/github": GitHubApi(world), "/pagerduty": PagerDutyApi(world),
                     "/stripe": StripeApi(world), "/prometheus": PrometheusApi(world)}

    def accepted_tokens(self, prefix: str) -> set[str]:
        return {self.world.tokens.get(source, DEFAULT_TOKEN) for source in PREFIX_SOURCES[prefix]}

    def route(self, method: str, target: str, headers: dict[str, str], root: str) -> Answer:
        """Answer one request: `target` is the raw path+query, `headers` lower-cased."""
        parts = urlsplit(target)
        prefix = "/" + parts.path.lstrip("/").split("/", 1)[0]
        if prefix not in PREFIX_SOURCES:
            return self._finish(Response(404, {"message": "Not Found"}))
        path = parts.path[len(prefix):] or "/"
        request = Request(method=method, prefix=prefix, path=path,
                          pairs=tuple(parse_qsl(parts.query, keep_blank_values=True)),
                          headers=headers, root=root)
        token = presented_token(prefix, headers.get("authorization", ""))
        if token is None or token not in self.accepted_tokens(prefix):
            return self._finish(unauthorized(prefix))
        refused = version_answer(prefix, headers)
        if refused is not None:
            return self._finish(refused)
        versioned = version_headers(prefix, headers)
        listed = catalogue_answer(self.world, request)
        if listed is not None:
            listed.headers.extend(versioned)
            return self._finish(listed)
        source = github_source_of(path) if prefix == "/github" else PREFIX_SOURCES[prefix][0]
        decided = self.faults.decide(source, target)
        if decided:
            fault, variant = decided
            failure = transport_fault(source, fault, variant)
            if failure is not None:
                return self._finish(failure)
        response = self.apis[prefix].handle(request)
        response.headers.extend(versioned)
        drift = self.faults.drift(source)
        if drift is not None and response.status == 200:
            response.body = drifted(response.body, drift, self.world.seed)
        if decided and decided[0].kind == "malformed" and response.status == 200:
            response.body = malformed(response, decided[1])
        return self._finish(response)

    @staticmethod
    def _finish(response: Response) -> Answer:
        body = response.encoded()
        names = {name.lower() for name, _ in response.headers}
        headers = list(response.headers)
        if "content-type" not in names:
            headers.append(("Content-Type", "application/json; charset=utf-8"))
        return Answer(response.status, headers, body)

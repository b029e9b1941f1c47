"""Serve a World as the real APIs on 127.0.0.1: one port, one path prefix per source.

    with serve(world) as server:
        server.base_urls["github"]   # "http://127.0.0.1:PORT/github"

`serve(world, as_of=...)` serves only what existed before `as_of` (see as_of.py); setting
`server.as_of` later moves the clock on, as a scheduled run would see it.

The cloud provider delivers files, not an API: `server.bucket` is a temporary folder (removed
on stop) holding the FOCUS export files delivered by `as_of` (focus_export.py), rewritten
when the clock moves on, the `sources.cloud_cost.bucket_url` of `ingest.simulator_env`.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from breadcrumbs.simulator.as_of import visible_world
from breadcrumbs.simulator.focus_export import write_exports
from breadcrumbs.simulator.routes import SOURCE_PREFIX, Router
from breadcrumbs.simulator.world import World


@dataclass(frozen=True)
class LoggedRequest:
    """One request the server answered (no headers: they carry tokens)."""

    method: str
    target: str  # path + query, including the source prefix
    status: int

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 / ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SimulatorServer:
    """A running simulator: `base_urls` per source, `request_log`, `path_counts()`, `wait()`,
    `stop()`; a context manager. `as_of` (settable) hides what happened at or after it;
    `visible` is the world as currently served."""

    def __init__(self, world: World, host: str, port: int,
                 as_of: datetime | None = None) -> None:
        if not is_loopback(host):
            raise ValueError(f"simulator: refusing to listen on {host!r}; use 127.0.0.1")
        self.world = world
        self._as_of = as_of
        self.visible = visible_world(world, as_of)
        self.router = Router(self.visible)
        self.request_log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self.bucket = Path(tempfile.mkdtemp(prefix="breadcrumbs-focus-"))
        write_exports(self.visible, self.bucket)
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        url_host = f"[{host}]" if ":" in host else host
        self.root = f"http://{url_host}:{self.port}"
        self.base_urls = {source: self.root + prefix for source, prefix in SOURCE_PREFIX.items()}
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="simulator",
                                        daemon=True)
        self._thread.start()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._answer(self)

            def do_POST(self) -> None:  # noqa: N802
                server._answer(self)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        length = int(headers.get("content-length") or 0)
        if length:
            handler.rfile.read(length)
        host = headers.get("host")
        root = f"http://{host}" if host and is_loopback(host.rsplit(":", 1)[0].strip("[]")) \
            else self.root  # Link headers use the name the client called us by
        answer = self.router.route(handler.command, handler.path, headers, root)
        with self._lock:
            self.request_log.append(LoggedRequest(handler.command, handler.path, answer.status))
        handler.send_response(answer.status)
        for name, value in answer.headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)

    @property
    def as_of(self) -> datetime | None:
        """The simulator's clock: records changing at or after it are not served yet."""
        return self._as_of

    @as_of.setter
    def as_of(self, value: datetime | None) -> None:
        visible = visible_world(self.world, value)
        router = Router(visible)
        with self._lock:
            self._as_of, self.visible, self.router = value, visible, router
            write_exports(visible, self.bucket)

    def path_counts(self, prefix: str = "") -> Counter[str]:
        """Requests answered per path (query stripped), optionally only under `prefix`."""
        with self._lock:
            return Counter(r.path for r in self.request_log if r.path.startswith(prefix))

    def clear_log(self) -> None:
        """Forget the requests answered so far."""
        with self._lock:
            self.request_log.clear()

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        shutil.rmtree(self.bucket, ignore_errors=True)

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def serve(world: World, host: str = "127.0.0.1", port: int = 0,
          as_of: datetime | None = None) -> SimulatorServer:
    """Start serving `world` (as of `as_of`, default: all of it) in a background thread;
    port 0 picks a free port."""
    return SimulatorServer(world, host, port, as_of)

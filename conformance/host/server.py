"""Serve the reference host over HTTP on 127.0.0.1, one thread per connection."""

from __future__ import annotations

import tempfile
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..world import World
from .app import ReferenceHost
from ..tables.database import open_database
from .http import HostRequest, HostResponse, parse_form
from ..tables.provisioning import world_rows


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024   # the default of 5 resets connections under a burst of clients
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True
    server_version = "vicicert-reference"
    sys_version = ""
    app: ReferenceHost

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length) if length else b"")

    def _answer(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        post = {}
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            post = parse_form(body.decode("latin-1"))
        request = HostRequest(self.command, parts.path, parse_form(parts.query), post)
        try:
            response = self.app(request)
        except Exception as error:  # a host bug: answer 500, as PHP would, rather than drop the connection
            traceback.print_exc()
            response = HostResponse(status=500, reason="Internal Server Error",
                                    body=f"vicicert reference host error: {type(error).__name__}\n")
        payload = response.payload
        self.send_response(response.status, response.reason)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # requests carry passwords: never log them
        return


class EmbeddedHost:
    """The reference host on SQLite (a temporary file by default) or MySQL, served on 127.0.0.1."""

    def __init__(self, db: str | Path | None = None, port: int = 0, arithmetic: str = "reference"):
        self._tempdir = None
        if db is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="vicicert-")
            db = Path(self._tempdir.name) / "reference.sqlite"
        self.database = open_database(db)
        self.app = ReferenceHost(self.database, arithmetic=arithmetic)
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._rows_world: World | None = None
        self._rows_cache: dict[tuple, dict] = {}

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the host first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _listen(self) -> "_Server":
        self._server = _Server(("127.0.0.1", self.port), type("Handler", (_Handler,), {"app": self.app}))
        return self._server

    def start(self) -> "EmbeddedHost":
        """Serve in a background thread (the harness's way)."""
        self._thread = threading.Thread(target=self._listen().serve_forever, name="vicicert-host", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (``vicicert serve``)."""
        self._listen().serve_forever()

    def reset(self, world: World, settings: Mapping[str, Any] | None = None) -> None:
        """Make the database hold exactly ``world`` (with system setting overrides)."""
        settings = dict(settings or {})
        if world is not self._rows_world:  # rows are cached per world object and settings
            self._rows_world, self._rows_cache = world, {}
        key = tuple(sorted(settings.items()))
        rows = self._rows_cache.get(key)
        if rows is None:
            rows = self._rows_cache[key] = world_rows(world, settings)
        self.database.replace_rows(rows)

    def after_case(self) -> None:
        """Nothing to put back: the next reset rewrites every covered table."""

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

"""Serve the reference host over HTTP on 127.0.0.1, one thread per connection.

A connection must deliver each request's head in time (``HEADER_DEADLINE`` from its first
byte, or from the accept for the first request), may sit idle between requests for
``KEEPALIVE_IDLE``, and may stall a body read or an answer's write for ``IO_TIMEOUT``; past
that it is dropped. A client that goes away costs one line on stderr, never a traceback.
"""

from __future__ import annotations

import io
import re
import socket
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from ..world import World
from .app import ReferenceHost
from ..tables.database import open_database
from .http import HostRequest, HostResponse, parse_form, parse_post
from ..tables.provisioning import custom_tables, embedded_rows, settings_row
from ..tables.restore import RowRestorer


HEADER_DEADLINE = 5.0    # seconds for a request line and headers to arrive in full
KEEPALIVE_IDLE = 30.0    # seconds a kept-alive connection may wait for its next request
IO_TIMEOUT = 60.0        # seconds a body read or an answer's write may make no progress
MAX_BODY = 8 * 1024 * 1024
STOP_GRACE = 10.0        # seconds stop() lets the answers being made finish before closing the database
_METHOD = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")   # an HTTP method is any token


def note(client: tuple, text: str) -> None:
    """One line on stderr about a connection (never its request: requests carry passwords)."""
    sys.stderr.write(f"vicicert host: {client[0]}:{client[1]} {text}\n")
    sys.stderr.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024   # the default of 5 resets connections under a burst of clients
    allow_reuse_address = True

    def server_activate(self) -> None:
        super().server_activate()
        self.answering = 0                       # answers being made (a request read, its answer not yet sent)
        self.answered = threading.Condition()

    def wait_for_answers(self, seconds: float) -> None:
        """Until no answer is being made, or ``seconds`` passed (an idle kept-alive connection waits for none)."""
        with self.answered:
            self.answered.wait_for(lambda: self.answering == 0, timeout=seconds)

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):   # the client left or stalled: not a host bug
            note(client_address, f"went away ({type(error).__name__})")
        else:
            super().handle_error(request, client_address)


class _ClockedReads(socket.SocketIO):
    """Socket reads bounded by a deadline (a request's head must arrive by then, however slowly
    it trickles in) or, without one, by the socket's own timeout per read."""

    deadline: float | None = None

    def readinto(self, buffer) -> int | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("deadline passed")
            self._sock.settimeout(left)
        return super().readinto(buffer)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True
    server_version = "vicicert-reference"
    sys_version = ""
    timeout = IO_TIMEOUT
    app: ReferenceHost

    def setup(self) -> None:
        super().setup()
        self.rfile.close()   # replaced by reads that keep the deadlines
        self._reads = _ClockedReads(self.connection, "rb")
        self.rfile = io.BufferedReader(self._reads)
        self._requests = 0

    def handle_one_request(self) -> None:
        """Wait for a request (idle limit), then read its head (deadline), then serve it."""
        first = self._requests == 0
        self._reads.deadline = time.monotonic() + (HEADER_DEADLINE if first else KEEPALIVE_IDLE)
        try:
            arrived = self.rfile.peek(1)
        except TimeoutError:
            arrived = b""
            if first:
                note(self.client_address, f"sent no request within {HEADER_DEADLINE:g} s; dropped")
        if not arrived:   # closed by the client, or idle too long
            self.close_connection = True
            return
        if not first:
            self._reads.deadline = time.monotonic() + HEADER_DEADLINE
        self._requests += 1
        super().handle_one_request()

    def _stream(self) -> None:
        """The head is in: from here every read or write may take up to IO_TIMEOUT."""
        self._reads.deadline = None
        self.connection.settimeout(IO_TIMEOUT)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Any method runs the script, as Apache and PHP do; only a POST's body gives parameters
        (another method's body is read and left alone), and a HEAD gets the headers alone."""
        self._stream()
        body = self._body()
        if body is not None:
            self._answer(body if self.command == "POST" else b"")

    do_POST = do_GET

    def __getattr__(self, name: str):
        if name.startswith("do_") and _METHOD.fullmatch(name[3:]):   # PUT, DELETE, HEAD, get, ...
            return self.do_GET
        raise AttributeError(name)

    def _body(self) -> bytes | None:
        """The request's body by its Content-Length (none: empty) or in chunks; a bad or too large one
        is answered 400 or 413 here, and None returned."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._chunked_body()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self.send_error(400 if length < 0 else 413, "bad Content-Length" if length < 0 else "body too large")
            return None
        return self.rfile.read(length) if length else b""

    def _chunked_body(self) -> bytes | None:
        """A chunked body (Transfer-Encoding: chunked), which Apache hands PHP whole."""
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                size = -1
            if size < 0 or len(body) + size > MAX_BODY:
                self.close_connection = True
                self.send_error(400 if size < 0 else 413, "bad chunk" if size < 0 else "body too large")
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):   # trailers
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline(1024)   # the chunk's line end

    def _answer(self, body: bytes) -> None:
        with self.server.answered:
            self.server.answering += 1
        try:
            self._make_answer(body)
        finally:
            with self.server.answered:
                self.server.answering -= 1
                self.server.answered.notify_all()

    def _make_answer(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        post = parse_post(self.headers.get("Content-Type") or "", body)
        request = HostRequest(self.command, parts.path, parse_form(parts.query), post, parts.query,
                              server_name=_server_name(self.headers.get("Host"), self.server.server_address[0]),
                              remote_addr=str(self.client_address[0]))
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
        if self.command != "HEAD":
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # requests carry passwords: never log them
        return

    def log_error(self, format: str, *args: Any) -> None:
        """One line per timeout or error answer, without the request (its line may hold a password)."""
        if format.startswith("Request timed out"):
            if self._reads.deadline is not None:
                note(self.client_address, f"sent no complete request head within {HEADER_DEADLINE:g} s; dropped")
            else:
                note(self.client_address, f"made no progress for {IO_TIMEOUT:g} s; dropped")
        elif format.startswith("code %d"):
            note(self.client_address, f"answered HTTP {args[0]}")


def _server_name(host: str | None, bound: str) -> str:
    """What Apache puts in SERVER_NAME (UseCanonicalName Off): the Host header without its
    port, or the server's own name (here the address it listens on) when there is none."""
    if not host:
        return bound
    if host.startswith("["):   # an IPv6 literal keeps its brackets
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


class EmbeddedHost:
    """The reference host on SQLite (a temporary file by default) or MySQL, served on 127.0.0.1."""

    def __init__(self, db: str | Path | None = None, port: int = 0, arithmetic: str = "reference"):
        self._tempdir = None
        if db is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="vicicert-")
            db = Path(self._tempdir.name) / "reference.sqlite"
        self.database = open_database(db, php_bytes=True)
        self.app = ReferenceHost(self.database, arithmetic=arithmetic)
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._rows_world: World | None = None
        self._world_rows: dict[str, list[dict[str, Any]]] = {}
        self._custom_tables: dict[str, Any] = {}
        self._restorer = RowRestorer(self.database)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the host first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _listen(self) -> "_Server":
        self._server = _Server(("127.0.0.1", self.port), type("Handler", (_Handler,), {"app": self.app}))
        return self._server

    def start(self) -> "EmbeddedHost":
        """Serve in a background thread (the harness's way)."""
        server = self._listen()
        # a short poll: stop() waits for the loop to see the request, once per run and per test
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="vicicert-host", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self, listening: Callable[[str], None] | None = None) -> None:
        """Serve until interrupted (``vicicert serve``); ``listening`` is called with the base URL
        once the socket is bound. The server loop runs in its own thread and this one only waits:
        a signal's KeyboardInterrupt lands here, never inside the loop's hand-over of a connection
        to its thread (there socketserver closes the connection, under an answer being written)."""
        self.start()
        if listening is not None:
            listening(self.base_url)
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def reset(self, world: World, settings: Mapping[str, Any] | None = None) -> None:
        """Make the covered tables hold exactly ``world`` (with system setting overrides) before a
        case: the first time they are filled (the world's custom tables made), afterwards only the
        rows written since are put back."""
        if world is not self._rows_world:   # the world's rows, made once: the same lists every case
            self._rows_world = world
            self._world_rows = embedded_rows(world)
            self._custom_tables = custom_tables(world)
        rows = self._world_rows
        if settings:
            rows = {**rows, "system_settings": [settings_row(world, settings)]}
        self._restorer.restore(rows, self._custom_tables)

    def hold(self, columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> None:
        """Nothing to save or set: the host's own server has the flag set (install rows), and every
        reset puts back every row of its database."""

    def provision(self, world: World) -> None:
        """Fill the covered tables with ``world`` once (``vicicert serve``: no case follows, so
        no change is tracked)."""
        self._rows_world = world
        self.database.replace_rows(embedded_rows(world), custom_tables(world))

    def missing_tables(self, tables: tuple[str, ...]) -> str | None:
        """The host makes every declared table (the optional ones too), and the custom table of each
        world list with custom fields, no other."""
        made = custom_tables(self._rows_world) if self._rows_world is not None else {}
        absent = [table.removeprefix("custom_") for table in tables
                  if table.startswith("custom_") and table not in made]
        return f"the world gives list {', '.join(absent)} no custom fields" if absent else None

    def after_case(self) -> None:
        """Nothing to put back: the next reset puts back whatever the case changed."""

    def rows(self, table: str, columns: list[str], where: dict[str, str]) -> list[dict[str, Any]]:
        """What a case left in the host's database (its effects), as text: the host keeps PHP's
        byte strings one character per byte, so UTF-8 is decoded as upstream's utf8 columns hold it."""
        return [{column: _as_text(value) for column, value in row.items()}
                for row in self.database.select_rows(table, columns, where)]

    def stop(self) -> None:
        """Stop serving, the export's scanner threads and every pooled database connection."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.wait_for_answers(STOP_GRACE)
            self._server = None
        self.app.close()
        self._restorer.close()
        self.database.close()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None


def _as_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value

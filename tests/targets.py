"""Misbehaving targets: the reference host's answers, bent one way, served for real.

``MisbehavingHandler`` wraps the reference host app for pytest-httpserver: it resets the
world before every request (so a target without fixtures still starts each case clean),
asks the reference app, then applies a mutation. ``RawSocketTarget`` serves broken HTTP
(connection reset, truncated body) that an HTTP library cannot produce.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import struct
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from werkzeug import Request, Response

from conformance.host.app import ReferenceHost
from conformance.host.http import HostRequest, HostResponse, parse_form, parse_post
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import custom_tables, embedded_rows
from conformance.tables.restore import RowRestorer

Mutation = Callable[[HostRequest, HostResponse], HostResponse]


class MisbehavingHandler:
    """A pytest-httpserver handler answering like the reference host, then bending the answer.

    A handler that puts the world back before every request shares one database per test process
    (``shared_database``): its restorer rewrites only the rows the last request changed, which
    costs a few milliseconds where filling every table anew cost a hundred. A stateful handler
    (``reset_each_request=False``) keeps a database of its own at ``database_path``, filled once."""

    def __init__(self, database_path, world, mutation: Mutation, reset_each_request: bool = True,
                 parse: Callable[[str], dict] = parse_form, bodies: bool = True):
        self.parse = parse   # how the target reads a query string or form body (PHP's rules, or bent ones)
        self.bodies = bodies  # False: a target that never reads a POST body
        self.body_methods = ("POST",)   # as PHP: only a POST's body gives parameters
        self.rows = embedded_rows(world)
        self.custom_tables = custom_tables(world)
        if reset_each_request:
            self.database, self._restorer = shared_database()
        else:
            self.database, self._restorer = SqliteDatabase(database_path), None
            self.database.replace_rows(self.rows, self.custom_tables)
        self.reset()
        self.app = ReferenceHost(self.database)
        self.mutation = mutation
        self.reset_each_request = reset_each_request

    def reset(self) -> None:
        """Put the world back (a handler that resets before every request only)."""
        if self._restorer is not None:
            self._restorer.restore(self.rows, self.custom_tables)
            self.database.release()

    def __call__(self, request: Request) -> Response:
        if self.reset_each_request:
            self.reset()
        query = request.query_string.decode("latin-1")
        method = request.environ.get("REQUEST_METHOD", request.method)   # as sent: werkzeug's method is upper-cased
        reads_body = self.bodies and method in self.body_methods
        post = parse_post(request.content_type or "", request.get_data(),
                          None if self.parse is parse_form else self.parse) if reads_body else {}
        raw_path = (request.environ.get("RAW_URI") or request.path).partition("?")[0]   # as sent: werkzeug's is decoded
        host_request = HostRequest(method, raw_path, self.parse(query), post, query,
                                   remote_addr=request.remote_addr or "")
        answer = self.mutation(host_request, self.app(host_request))
        return Response(answer.payload, status=answer.status, headers=answer.headers)


_SHARED: dict[Callable, tuple[SqliteDatabase, RowRestorer]] = {}


def shared_database() -> tuple[SqliteDatabase, RowRestorer]:
    """This process's database for the handlers that reset before every request, and its restorer
    (a handler of another world refills only the tables whose rows differ). A test that bends the
    text collation (``database.mysql_text_order``, bound when a connection opens) gets one of its own."""
    from conformance.tables import database as database_module
    collation = database_module.mysql_text_order
    if collation not in _SHARED:
        folder = Path(tempfile.mkdtemp(prefix="vicicert-targets-"))
        database = SqliteDatabase(folder / "shared.sqlite")
        _SHARED[collation] = (database, RowRestorer(database))
        atexit.register(shutil.rmtree, folder, True)
    return _SHARED[collation]


def wrong_text(request, answer):
    answer.body = answer.body.replace("function sent", "function set")
    return answer


def missing_newline(request, answer):
    answer.body = answer.body.rstrip("\n")
    return answer


def api_user_echoed(request, answer):
    """The drift seed 000 documents: the API user echoed instead of the agent."""
    agent, api_user = request.param("agent_user"), request.param("user")
    if agent and answer.body.startswith("SUCCESS"):
        answer.body = answer.body.replace(f" - {agent}", f" - {api_user}")
    return answer


def pause_code_allows_seven(request, answer):
    """An off-by-one length rule: seven-character pause codes accepted."""
    value = request.param("value")
    if request.param("function") == "pause_code" and len(value) == 7 and "not valid" in answer.body:
        answer.body = f"SUCCESS: pause_code function sent - {request.param('agent_user')}\n"
    return answer


def stray_writes(database) -> None:
    """Writes a host should never make, each of which would fail the next case were it not put
    back: every harness password changed, a harness campaign gone, a harness live agent more."""
    database.write("UPDATE vicidial_users SET pass = 'scrambled1' WHERE user LIKE 'vcrt%'")
    first = database.value("SELECT MIN(campaign_id) FROM vicidial_campaigns WHERE campaign_id LIKE 'VCERT%'")
    database.write("DELETE FROM vicidial_campaigns WHERE campaign_id = ?", first)
    database.write("INSERT INTO vicidial_live_agents (user, server_ip, lead_id, status) "
                   "VALUES ('vcrtstray', '10.0.0.9', 0, 'READY')")
    database.release()


def writing_where_it_should_not(monkeypatch) -> None:
    """Every reference host in this process answers, then makes ``stray_writes`` in its database
    (after a case's request: the preflight's ``version`` comes before the harness has written anything)."""
    from conformance.host.app import ReferenceHost
    real_call = ReferenceHost.__call__

    def call(self, request):
        answer = real_call(self, request)
        if request.param("function") != "version":
            stray_writes(self.database)
        return answer
    monkeypatch.setattr(ReferenceHost, "__call__", call)


def server_error(request, answer):
    """How upstream's PHP dies (an uncaught error): HTTP 500, nothing in the body."""
    return HostResponse(status=500, reason="Internal Server Error", body="")


def bad_gateway(request, answer):
    """A proxy in front of the host that lost it: a 5xx with a page of its own."""
    return HostResponse(status=502, reason="Bad Gateway", body="<html><body>502 Bad Gateway</body></html>\n")


def php_warning(request, answer):
    answer.body = "<br />\n<b>Warning</b>:  Undefined variable $x in api.php on line 9\n" + answer.body
    return answer


def empty_body(request, answer):
    answer.body = ""
    return answer


def slow(seconds: float) -> Mutation:
    def mutation(request, answer):
        time.sleep(seconds)
        return answer
    return mutation


class ScriptedTarget:
    """A loopback TCP server that reads a request and then writes ``script``, (bytes, pause after)
    pairs, over plain TCP or ``tls``; ``reset`` ends each connection with RST instead of FIN."""

    def __init__(self, script: list[tuple[bytes, float]], tls=None, reset: bool = False):
        self.script, self.tls, self.reset = script, tls, reset
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        try:
            connection.settimeout(5)
            if self.tls is not None:
                connection = self.tls.wrap_socket(connection, server_side=True)
            connection.recv(65536)
            for data, pause in self.script:
                connection.sendall(data)
                time.sleep(pause)
            if self.reset:  # SO_LINGER with a zero timeout makes close() send RST instead of FIN
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        finally:
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


class RawSocketTarget(ScriptedTarget):
    """Broken HTTP on purpose: 'reset' (the connection reset, no answer), 'close' (closed with
    no answer, as upstream's web server does when it loses PHP at a 10M-row export) or 'truncate'
    (a body shorter than its Content-Length)."""

    def __init__(self, behaviour: str):
        if behaviour in ("reset", "close"):
            super().__init__([], reset=behaviour == "reset")
        else:
            super().__init__([(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nSUCCESS: pau", 0)])


def answers_successes_with(text: str) -> Mutation:
    """A host that answers every success with ``text`` and the time it answered (a clock in the answer,
    as upstream's answers carry epochs and ids)."""
    def mutation(request, answer):
        if answer.body.startswith("SUCCESS"):
            answer.body = f"{text} at {time.time_ns()}\n"
        return answer
    return mutation


def no_cache_headers_dropped(request, answer):
    """A proxy in front of the host that drops the two no-cache headers from every answer."""
    answer.headers = [(name, value) for name, value in answer.headers if name not in ("Cache-Control", "Pragma")]
    return answer

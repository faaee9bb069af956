"""The target client: one request, raw bytes back, no retries, and a curl line to reproduce.

Transport failures (timeout, reset, truncated body) are recorded on the Exchange rather
than raised, because a target that drops the connection is a finding, not a crash.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit

from .errors import UsageError
from .redaction import MASK, Redactor

PASSWORD_VARIABLE = "VICIDIAL_PASS"   # where a reproducing curl line reads the password from


@dataclass(frozen=True)
class Request:
    """What a case sends: method, path and parameters in order; or, where given, the query
    string (``raw_query``) and the body (``body``, of ``content_type``) byte for byte."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    raw_query: str | None = None
    body: bytes | None = None
    content_type: str = "application/x-www-form-urlencoded"   # of a POST body

    @property
    def query(self) -> str:
        if self.raw_query is not None:
            return self.raw_query
        return "" if self.method == "POST" else urlencode(self.params, safe=":")

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def payload(self) -> bytes | None:
        """The body: a POST's as given or the parameters form-encoded; another method's as given (none)."""
        if self.method != "POST":
            return self.body
        return self.body if self.body is not None else urlencode(self.params, safe=":").encode("latin-1")


@dataclass
class Exchange:
    """A request and what came back: status, headers, body bytes, time, or a transport error."""

    request: Request
    url: str
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None
    received: int | None = None   # bytes the body had, once it is cut to an excerpt after its case

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def size(self) -> int:
        """Bytes of the body as kept by the client, whether or not it was cut to an excerpt since."""
        return len(self.body) if self.received is None else self.received

    def excerpt(self, limit: int) -> "Exchange":
        """This exchange with only the first ``limit`` bytes of its body, its size remembered."""
        if len(self.body) <= limit:
            return self
        return replace(self, body=self.body[:limit], received=self.size)

    def curl(self, redact: Redactor, password_variable: str = PASSWORD_VARIABLE) -> str:
        """A shell line that repeats the request; the password comes from ``$password_variable``.

        The line never holds the password itself: the ``pass`` parameter, in the URL or the
        POST body, reads ``${VICIDIAL_PASS}`` (inside double quotes, so the shell fills it in).
        """
        def shell(text: str) -> str:   # inside double quotes, the password read from the environment
            quoted = re.sub(r'([\\"$`])', r"\\\1", redact(text))
            return re.sub(r"(?:(?<=^pass=)|(?<=[?&;]pass=))" + re.escape(MASK), "${%s}" % password_variable, quoted)

        payload = self.request.payload
        data = "" if payload is None else f' --data-binary "{shell(payload.decode("latin-1"))}"'
        if payload is not None and self.request.content_type != Request.content_type:
            data = f' -H "Content-Type: {shell(self.request.content_type)}"' + data
        if self.request.method not in ("GET", "POST"):
            data = f" -X {self.request.method}" + data
        return f'curl -sS -i -g{data} "{shell(self.url)}"'   # -g: a [] in a name is no curl glob


MAX_BODY = 8 * 1024 * 1024  # bytes of an answer kept; upstream's largest case answer is far below


class Target:
    """An HTTP base URL that cases are sent to."""

    def __init__(self, base_url: str, timeout: float = 10.0, max_body: int = MAX_BODY):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"target {base_url!r} is not an http(s) URL; give e.g. http://127.0.0.1:8080")
        self.base_url = base_url.rstrip("/")
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.max_body = max_body
        self._speaks_tls: bool | None = None

    def url_for(self, request: Request) -> str:
        return f"{self.base_url}{request.target}"

    def send(self, request: Request) -> Exchange:
        """One request; the whole answer must arrive within ``timeout`` seconds (a watchdog cuts it)."""
        exchange = Exchange(request=request, url=self.url_for(request))
        connection_class = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._host, self._port, timeout=self.timeout)
        watchdog = threading.Timer(self.timeout, _cut, (connection,))
        watchdog.daemon = True
        started = time.perf_counter()
        try:
            watchdog.start()
            headers = {"User-Agent": "vicicert", "Connection": "close"}
            if request.payload is not None:
                headers["Content-Type"] = request.content_type
            connection.request(request.method, self._prefix + request.target, body=request.payload, headers=headers)
            response = connection.getresponse()
            exchange.status, exchange.reason = response.status, response.reason
            exchange.headers = response.getheaders()
            exchange.error = _framing_error(response)
            if exchange.error is None:
                exchange.body, exchange.error = self._read_body(response)
        except http.client.IncompleteRead as exc:
            exchange.body = exc.partial
            exchange.error = f"truncated body: got {len(exc.partial)} bytes, then the connection closed"
        except (socket.timeout, TimeoutError):
            exchange.error = "timed out"  # replaced below by the deadline's own message
        except http.client.BadStatusLine as exc:
            exchange.error = f"not an HTTP answer: {exc.line[:80]!r}"
        except http.client.RemoteDisconnected:
            exchange.error = "connection closed before any response"
        except ConnectionResetError:
            exchange.error = "connection reset by the target"
        except ConnectionRefusedError:
            exchange.error = f"connection refused at {self._host}:{self._port}"
        except ssl.SSLError as exc:  # a plain-HTTP answer read as a TLS record is the classic one
            plain = exc.reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST")
            exchange.error = (f"the port speaks plain HTTP, not TLS: use http:// (SSLError: {exc.reason})" if plain
                              else f"SSLError: {exc}")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
        finally:
            watchdog.cancel()
            exchange.elapsed = time.perf_counter() - started
            connection.close()
        if exchange.error and exchange.elapsed >= self.timeout:
            exchange.error = f"no complete answer within {self.timeout:g} s ({len(exchange.body)} bytes of body arrived)"
        elif exchange.status is None and exchange.error and self._scheme == "http" and self._tls_port():
            exchange.error = f"the port speaks TLS, not plain HTTP: use https:// ({exchange.error})"
        return exchange

    def _tls_port(self) -> bool:
        if self._speaks_tls is None:
            self._speaks_tls = _speaks_tls(self._host, self._port, self.timeout)
        return self._speaks_tls

    def _read_body(self, response: http.client.HTTPResponse) -> tuple[bytes, str | None]:
        """The body up to ``max_body`` bytes; past that, the rest is counted and named too large."""
        kept, total = bytearray(), 0
        while True:
            try:
                piece = response.read1(65536)
            except (http.client.IncompleteRead, ValueError):
                if not response.chunked:
                    raise
                return bytes(kept), (f"invalid chunked encoding after {total} bytes of body "
                                     "(a chunk size that is not hexadecimal, or the body ends inside a chunk)")
            if not piece:
                break
            total += len(piece)
            kept += piece[: max(0, self.max_body - len(kept))]
        if response.length:  # a Content-Length the connection closed short of
            return bytes(kept), f"truncated body: got {total} bytes, then the connection closed"
        if total > self.max_body:
            return bytes(kept), (f"answer too large: {total} bytes, of which the first {self.max_body} "
                                 "are kept")
        return bytes(kept), None


def _cut(connection: http.client.HTTPConnection) -> None:
    """The deadline passed: end the exchange whatever phase it is in."""
    if connection.sock is not None:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _framing_error(response: http.client.HTTPResponse) -> str | None:
    """What is wrong with how the answer is framed or encoded, before its body is read."""
    lengths = response.headers.get_all("Content-Length") or []
    if lengths and (len(set(lengths)) > 1 or not all(value.strip().isdigit() for value in lengths)):
        return f"invalid Content-Length: {', '.join(repr(value) for value in lengths)}"
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        return f"content encoding {encoding!r}, though the request accepted none"
    return None


def _speaks_tls(host: str, port: int | None, timeout: float) -> bool:
    """Whether a TLS handshake succeeds on that port (asked only after a plain request failed)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection((host, port or 80), timeout=min(timeout, 3.0)) as raw:
            with context.wrap_socket(raw, server_hostname=host):
                return True
    except (OSError, ssl.SSLError):
        return False

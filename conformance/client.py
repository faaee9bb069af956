"""The target client: one request, raw bytes back, no retries, and a curl line to reproduce.

Transport failures (timeout, reset, truncated body) are recorded on the Exchange rather
than raised, because a target that drops the connection is a finding, not a crash.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from .errors import UsageError
from .redaction import MASK, Redactor

PASSWORD_VARIABLE = "VICIDIAL_PASS"   # where a reproducing curl line reads the password from


@dataclass(frozen=True)
class Request:
    """What a case sends: method, path and parameters in order."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    method: str = "GET"

    @property
    def query(self) -> str:
        return urlencode(self.params, safe=":")

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.params else self.path


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

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def curl(self, redact: Redactor, password_variable: str = PASSWORD_VARIABLE) -> str:
        """A shell line that repeats the request; the password comes from ``$password_variable``.

        The line never holds the password itself: the ``pass`` parameter reads
        ``${VICIDIAL_PASS}`` (inside double quotes, so the shell fills it in).
        """
        quoted = re.sub(r'([\\"$`])', r"\\\1", redact(self.url))
        quoted = re.sub(r"(?<=[?&;]pass=)" + re.escape(MASK), "${%s}" % password_variable, quoted)
        return f'curl -sS -i "{quoted}"'


class Target:
    """An HTTP base URL that cases are sent to."""

    def __init__(self, base_url: str, timeout: float = 10.0):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"target {base_url!r} is not an http(s) URL; give e.g. http://127.0.0.1:8080")
        self.base_url = base_url.rstrip("/")
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout

    def url_for(self, request: Request) -> str:
        return f"{self.base_url}{request.target}"

    def send(self, request: Request) -> Exchange:
        exchange = Exchange(request=request, url=self.url_for(request))
        connection_class = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._host, self._port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(request.method, self._prefix + request.target,
                               headers={"User-Agent": "vicicert", "Connection": "close"})
            response = connection.getresponse()
            exchange.status, exchange.reason = response.status, response.reason
            exchange.headers = response.getheaders()
            exchange.body = response.read()
        except http.client.IncompleteRead as exc:
            exchange.body = exc.partial
            exchange.error = f"truncated body: got {len(exc.partial)} bytes, then the connection closed"
        except socket.timeout:
            exchange.error = f"timed out after {self.timeout:g} s without a complete response"
        except http.client.RemoteDisconnected:
            exchange.error = "connection closed before any response"
        except ConnectionResetError:
            exchange.error = "connection reset by the target"
        except ConnectionRefusedError:
            exchange.error = f"connection refused at {self._host}:{self._port}"
        except (OSError, http.client.HTTPException) as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
        finally:
            exchange.elapsed = time.perf_counter() - started
            connection.close()
        return exchange

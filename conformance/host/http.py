"""The host's request and response values, independent of any server."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes


@dataclass(frozen=True)
class HostRequest:
    """A request as PHP sees it: GET and POST parameters, bytes held as latin-1 text, and the
    query string as sent (PHP's QUERY_STRING, still percent-encoded)."""

    method: str
    path: str
    get: dict[str, str] = field(default_factory=dict)
    post: dict[str, str] = field(default_factory=dict)
    query: str = ""
    server_name: str = ""   # PHP's $_SERVER['SERVER_NAME']: the Host header's name, as Apache gives it

    def param(self, name: str) -> str:
        """``$_GET[name]`` if set, else ``$_POST[name]``, else empty (upstream's pattern)."""
        if name in self.get:
            return self.get[name]
        return self.post.get(name, "")


COFFEE = ("coffee", "start_coffee", "make_coffee", "brew_coffee")


def teapot(function: str, response: "HostResponse") -> str | None:
    """Both APIs' answer to the coffee functions: HTTP 418 and one line without a newline;
    None for any other function."""
    if function not in COFFEE:
        return None
    response.status, response.reason = 418, "I'm a teapot"
    return f"Coffee: {function}|Error 418 I'm a teapot"


@dataclass
class HostResponse:
    status: int = 200
    reason: str = "OK"
    body: str = ""                         # latin-1 text: one char per output byte
    headers: list[tuple[str, str]] = field(default_factory=lambda: [
        ("Content-type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-cache, must-revalidate"),
        ("Pragma", "no-cache"),
    ])

    @property
    def payload(self) -> bytes:
        return self.body.encode("latin-1")


def parse_form(text: str) -> dict[str, str]:
    """PHP's parsing of a query string or urlencoded body: ``+`` is a space, the last key wins."""
    params: dict[str, str] = {}
    for pair in text.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key = unquote_to_bytes(key.replace("+", " ")).decode("latin-1")
        params[key] = unquote_to_bytes(value.replace("+", " ")).decode("latin-1")
    return params

"""The host's request and response values, independent of any server."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from .php import PhpArray


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
    remote_addr: str = ""   # PHP's REMOTE_ADDR: the client's address (the admin log records it)

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
    """PHP's ``$_GET``/``$_POST`` from a query string or urlencoded body (php_variables.c, PHP 8).

    Pairs split on ``&``; name and value are url-decoded (``+`` is a space); a pair without
    ``=`` is an empty value; the last of a repeated name wins. The name is cut at a NUL byte
    and loses its leading spaces (an empty name is dropped); up to its first ``[``, a space
    or a dot becomes ``_`` (``agent.user`` is ``agent_user``). A ``[`` closed by a ``]`` later
    makes the value an array (``PhpArray``) under the name before it; an unclosed one becomes
    ``_``, and so does every space, dot and ``[`` after it (``a[b.c`` is ``a_b_c``).
    """
    params: dict[str, str] = {}
    for pair in text.split("&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition("=")
        name = _php_name(unquote_to_bytes(raw_name.replace("+", " ")).decode("latin-1"))
        if name is None:
            continue
        value = unquote_to_bytes(raw_value.replace("+", " ")).decode("latin-1")
        if isinstance(name, tuple):
            params[name[0]] = PhpArray()
        else:
            params[name] = value
    return params


def _php_name(decoded: str) -> str | tuple[str] | None:
    """The variable PHP registers for a decoded name: a text, ``(name,)`` for an array, None for none."""
    name = decoded.split("\0", 1)[0].lstrip(" ")
    bracket = name.find("[")
    base = (name if bracket < 0 else name[:bracket]).replace(" ", "_").replace(".", "_")
    if not base:
        return None
    if bracket < 0:
        return base
    if "]" in name[bracket + 1:]:
        return (base,)
    return base + "_" + name[bracket + 1:].replace(" ", "_").replace(".", "_").replace("[", "_")

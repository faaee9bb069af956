"""The host's request and response values, independent of any server."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote, unquote_to_bytes

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

    def last_posted(self) -> str:
        """What PHP's ``foreach($_POST as $key=>$value)`` leaves in ``$value``: the last field's value
        ('' when nothing was posted)."""
        return next(reversed(self.post.values()), "")


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


MAX_INPUT_VARS = 1000   # PHP's max_input_vars: the variables after it are dropped without a word


def parse_form(text: str, max_vars: int = MAX_INPUT_VARS) -> dict[str, str]:
    """PHP's ``$_GET``/``$_POST`` from a query string or urlencoded body (php_variables.c, PHP 8).

    Pairs split on ``&``; name and value are url-decoded (``+`` is a space); a pair without
    ``=`` is an empty value; the last of a repeated name wins. The name is cut at a NUL byte
    and loses its leading spaces (an empty name is dropped); up to its first ``[``, a space
    or a dot becomes ``_`` (``agent.user`` is ``agent_user``). A ``[`` closed by a ``]`` later
    makes the value an array (``PhpArray``) under the name before it; an unclosed one becomes
    ``_``, and so does every space, dot and ``[`` after it (``a[b.c`` is ``a_b_c``). Only the first
    ``max_vars`` pairs count (empty ones aside; a repeat or an empty name counts).
    """
    params: dict[str, str] = {}
    for pair in [pair for pair in text.split("&") if pair][:max_vars]:
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


def parse_post(content_type: str, body: bytes, parse: Callable[[str], dict] | None = None) -> dict[str, str]:
    """PHP's ``$_POST`` from a body, by its Content-Type: its media type in any letter case, up to
    a ``;``, ``,`` or space, is a urlencoded form (read by ``parse``; PHP's own reader keeps one
    variable more than max_input_vars there) or multipart/form-data; any other type, or none,
    gives no parameters."""
    media = re.split(r"[;, ]", content_type.strip().lower(), maxsplit=1)[0]
    if media == "application/x-www-form-urlencoded":
        text = body.decode("latin-1")
        return parse(text) if parse is not None else parse_form(text, MAX_INPUT_VARS + 1)
    if media == "multipart/form-data":
        return parse_multipart(content_type, body)
    return {}


_BOUNDARY = re.compile(r"boundary=(\"[^\"]*\"|[^;,\s]+)", re.IGNORECASE)
_DISPOSITION = re.compile(rb"^content-disposition:(.*)$", re.IGNORECASE | re.MULTILINE)
_PART_NAME = re.compile(rb"(?<![\w-])name=(\"[^\"]*\"|[^;\s]+)", re.IGNORECASE)


def parse_multipart(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a multipart/form-data body as PHP registers them (rfc1867.c): the parts
    between ``--boundary`` lines (CRLF or LF line ends, a quoted boundary too), each named by its
    Content-Disposition; a part with a filename is an upload (``$_FILES``), not a field; names go
    through PHP's rules as in a query string (not url-decoded); the last of a repeated name wins.
    No boundary, no fields."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        return {}
    delimiter = b"--" + found.group(1).strip('"').encode("latin-1")
    params: dict[str, str] = {}
    for count, part in enumerate(body.split(delimiter)[1:]):
        if part.startswith(b"--") or count == MAX_INPUT_VARS:
            break
        part = part[2:] if part.startswith(b"\r\n") else part[1:] if part.startswith(b"\n") else part
        pieces = re.split(rb"\r?\n\r?\n", part, maxsplit=1)
        if len(pieces) < 2:
            continue
        head, value = pieces
        value = value[:-2] if value.endswith(b"\r\n") else value[:-1] if value.endswith(b"\n") else value
        disposition = _DISPOSITION.search(head)
        named = _PART_NAME.search(disposition.group(1)) if disposition else None
        if named is None or re.search(rb"filename\*?=", disposition.group(1), re.IGNORECASE):
            continue
        name = _php_name(named.group(1).strip(b'"').decode("latin-1"))
        if isinstance(name, tuple):
            params[name[0]] = PhpArray()
        elif name is not None:
            params[name] = value.decode("latin-1")
    return params


def script_path(raw: str) -> str | None:
    """The path a request runs, as Apache finds it: percent-decoded (an encoded slash or NUL finds
    nothing, ""), slashes merged, ``.`` and ``..`` segments resolved (None: a ``..`` above the root,
    which Apache refuses with 400); a script's own path may go on past it (``/agc/api.php/x``:
    PATH_INFO, see ``runs``)."""
    if "%2f" in raw.lower() or "%00" in raw:
        return ""
    segments: list[str] = []
    for segment in unquote(raw, encoding="latin-1").split("/"):
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    return "/" + "/".join(segments)


def runs(script: str, path: str) -> bool:
    """Whether a request for ``path`` (a ``script_path``) runs ``script``: the same, or with a path of
    its own after it (Apache's AcceptPathInfo for PHP)."""
    return path == script or path.startswith(script + "/")

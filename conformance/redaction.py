"""Keep secrets out of everything vicicert prints or writes.

Upstream echoes the submitted password on a failed login, after its parameter filter has
dropped the characters it does not allow, so redaction applies to response bodies too and
masks every form a host can echo a secret in: as given, URL-encoded, filtered the way either
API filters ``pass`` (latin and non-latin modes), base64 and HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from urllib.parse import quote, quote_plus

MASK = "********"
_QUERY_PASS = re.compile(r"(?i)(?<=[?&;]pass=)[^&\s'\"]*")
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]*):([^@/\s]*)@")
_SHORTEST_DERIVED = 4  # a derived form shorter than this would mask ordinary text, not a secret

# The characters each API keeps in ``pass`` (facts of upstream's filters): the Agent API first
# drops quotes, backslash, semicolon and space, then keeps the listed punctuation and letters.
_KEPT_PUNCTUATION = {"agent_api": "-.+/=_", "non_agent_api": "-_"}


def pass_filtered(secret: str, api: str, non_latin: bool) -> str:
    """``secret`` as ``api`` ("agent_api" or "non_agent_api") keeps it before the login."""
    def kept(char: str) -> bool:
        if char in _KEPT_PUNCTUATION[api] or char in "0123456789":
            return True
        if non_latin:
            return unicodedata.category(char).startswith("L")
        return char.isascii() and char.isalpha()
    return "".join(char for char in secret if kept(char))


def secret_forms(secret: str) -> set[str]:
    """Every text a host may show ``secret`` as."""
    forms = {quote_plus(secret), quote(secret, safe=""), html.escape(secret), html.escape(secret, quote=False)}
    forms |= {pass_filtered(secret, api, non_latin) for api in _KEPT_PUNCTUATION for non_latin in (False, True)}
    encoded = secret.encode("utf-8")
    forms |= {base64.b64encode(encoded).decode(), base64.b64encode(encoded).decode().rstrip("="),
              base64.urlsafe_b64encode(encoded).decode().rstrip("=")}
    return {form for form in forms if len(form) >= _SHORTEST_DERIVED} | {secret}


class Redactor:
    """Replaces every known secret, in every form a host may echo it, with a mask."""

    def __init__(self, secrets: set[str] | None = None):
        self._secrets: set[str] = set()
        for secret in secrets or ():
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret:
            self._secrets |= secret_forms(secret)

    def __call__(self, text: str) -> str:
        text = _QUERY_PASS.sub(MASK, text)
        text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


def mask_url(url: str) -> str:
    """A database or target URL with its password masked (``mysql://u:********@h/db``)."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", url)

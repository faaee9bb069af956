"""Keep secrets out of everything vicicert prints or writes.

Upstream echoes the submitted password on a failed login (www/agc/api.php), so
redaction applies to response bodies too, not only to the requests we build.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

MASK = "********"
_QUERY_PASS = re.compile(r"(?i)(?<=[?&;]pass=)[^&\s'\"]*")
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]*):([^@/\s]*)@")


class Redactor:
    """Replaces every known secret, in plain and URL-encoded form, with a mask."""

    def __init__(self, secrets: set[str] | None = None):
        self._secrets: set[str] = set()
        for secret in secrets or ():
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret:
            self._secrets |= {secret, quote_plus(secret), quote(secret, safe="")}

    def __call__(self, text: str) -> str:
        text = _QUERY_PASS.sub(MASK, text)
        text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


def mask_url(url: str) -> str:
    """A database or target URL with its password masked (``mysql://u:********@h/db``)."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", url)

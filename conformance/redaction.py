"""Keep secrets out of everything vicicert prints or writes.

Upstream echoes the submitted password on a failed login, after its parameter filter has
dropped the characters it does not allow, so redaction applies to response bodies too and
masks every form a host can echo a secret in: as given, in any letter case, URL-encoded,
filtered the way either API filters ``pass`` (latin and non-latin modes), base64, and written
with HTML entities or percent escapes (``&amp;``, ``&#81;``, ``&#x51;``, ``%51``), also mixed.

Secrets are found in the whole text and only then cut: ``excerpt(text, start, stop)`` shows a
window of a text with every secret that overlaps it masked whole, so an excerpt that starts or
stops inside a password shows none of it (cutting first and masking after would leave the
part inside the window, which no longer matches the whole secret). A window of a long text is
searched only as far around it as a secret there can reach (``Redactor.reach``), so a 64 KiB
excerpt of an 8 MiB answer costs a 64 KiB search, not a search of 8 MiB for every form.
"""

from __future__ import annotations

import base64
import bisect
import functools
import html
import re
import unicodedata
from urllib.parse import quote, quote_plus

MASK = "********"
_QUERY_PASS = re.compile(r"(?i)(?<=[?&;]pass=)[^&\s'\"]*")
_URL_PASSWORD = re.compile(r"(?<=://)[^:/@\s]*:([^@/\s]*)@")
_SHORTEST_DERIVED = 4  # a derived form shorter than this would mask ordinary text, not a secret
_RAW_PER_CHARACTER = 34  # raw characters one decoded character may take: %F4%8F%BF%BF, &#x10FFFF;, a named entity
# Characters neither a pass= value nor a URL's user:password@ part can hold: the search around a
# window runs from the last of them before it to the first after it, so such a value reaching into
# the window is found whole.
_VALUE_ENDS = "&'\"/@ \t\n\r\f\v"
# An HTML entity (named, decimal or hex) or a run of percent escapes: what the decoded view reads.
_ESCAPE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|(?:%[0-9A-Fa-f]{2})+")

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


def always_dropped(secret: str, api: str) -> int:
    """How many characters of ``secret`` ``api`` drops from ``pass`` in both character modes."""
    return len(secret) - len(pass_filtered(secret, api, non_latin=True))


def plain_forms(secret: str) -> set[str]:
    """The texts a host may show ``secret`` as before any escaping: as given, filtered, case-folded."""
    forms = {pass_filtered(secret, api, non_latin) for api in _KEPT_PUNCTUATION for non_latin in (False, True)}
    forms.add(secret.casefold())
    return {form for form in forms if len(form) >= _SHORTEST_DERIVED} | {secret}


def secret_forms(secret: str) -> set[str]:
    """Every literal text a host may show ``secret`` as (escaped forms are also found decoded)."""
    forms = {quote_plus(secret), quote(secret, safe=""), html.escape(secret), html.escape(secret, quote=False)}
    encoded = secret.encode("utf-8")
    forms |= {base64.b64encode(encoded).decode(), base64.b64encode(encoded).decode().rstrip("="),
              base64.urlsafe_b64encode(encoded).decode().rstrip("=")}
    return {form for form in forms if len(form) >= _SHORTEST_DERIVED} | plain_forms(secret)


class _Decoded:
    """``text`` with its HTML entities and percent escapes decoded, and the way back to raw offsets."""

    def __init__(self, text: str):
        pieces, self._tokens = [], []   # (decoded start, decoded length, raw start, raw length)
        raw_at = decoded_at = 0
        for match in _ESCAPE.finditer(text):
            pieces.append(text[raw_at:match.start()])
            decoded_at += match.start() - raw_at
            token = match.group()
            value = html.unescape(token) if token.startswith("&") else _percent_decoded(token)
            pieces.append(value)
            self._tokens.append((decoded_at, len(value), match.start(), len(token)))
            decoded_at += len(value)
            raw_at = match.end()
        pieces.append(text[raw_at:])
        self.text = "".join(pieces)
        self._starts = [token[0] for token in self._tokens]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span the decoded span [start, end) came from (whole escapes)."""
        return self._raw(start, first=True), self._raw(end - 1, first=False)

    def _raw(self, index: int, first: bool) -> int:
        position = bisect.bisect_right(self._starts, index) - 1
        if position < 0:
            return index if first else index + 1
        decoded_start, decoded_length, raw_start, raw_length = self._tokens[position]
        if index < decoded_start + decoded_length:   # inside an escape: all of it
            return raw_start if first else raw_start + raw_length
        raw = raw_start + raw_length + index - (decoded_start + decoded_length)
        return raw if first else raw + 1


def _percent_decoded(token: str) -> str:
    data = bytes.fromhex(token.replace("%", ""))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class Redactor:
    """Masks every known secret, in every form a host may echo it, in whole texts and in excerpts."""

    def __init__(self, secrets: set[str] | None = None):
        self._secrets: set[str] = set()
        self._patterns: tuple[re.Pattern, re.Pattern] | None = None   # made at the first search
        self._last: tuple[str, list[tuple[int, int]]] | None = None
        self.reach = 0    # raw characters a secret's longest form may span in a text
        for secret in secrets or ():
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and secret not in self._secrets:
            self._secrets.add(secret)
            self._patterns = None
            self._last = None
            longest = max(len(form) for form in secret_forms(secret))
            self.reach = max(self.reach, _RAW_PER_CHARACTER * longest)

    def with_secret(self, secret: str | None) -> "Redactor":
        """This redactor plus ``secret``, as a new one (a case's own wrong password masks that case's
        texts only, so what a report masks never depends on which cases ran before)."""
        if not secret or secret in self._secrets:
            return self
        return Redactor(self._secrets | {secret})

    def __call__(self, text: str) -> str:
        return self.excerpt(text, 0, len(text))

    def excerpt(self, text: str, start: int, stop: int) -> str:
        """``text[start:stop]`` with every secret that overlaps it masked whole (found in all of ``text``)."""
        start, stop = max(0, start), min(len(text), stop)
        out, at = [], start
        for span_start, span_end in self._spans_around(text, start, stop):
            if span_end < at or (span_end == at and span_start < span_end):
                continue
            if span_start >= stop:
                break
            out.append(text[at:max(at, span_start)])
            out.append(MASK)
            at = span_end
        if at < stop:
            out.append(text[at:stop])
        return "".join(out)

    def _spans_around(self, text: str, start: int, stop: int) -> list[tuple[int, int]]:
        """The spans of the secrets that may overlap [start, stop): those of the whole text when it is
        short, else those found in the part of it a secret overlapping the window can lie in."""
        low = max(0, start - self.reach)
        value_start = max(text.rfind(char, 0, start) for char in _VALUE_ENDS)   # -1: none before
        low = max(0, min(low, value_start - 3))   # and ://, ?pass= before it
        value_end = min((at for at in (text.find(char, stop) for char in _VALUE_ENDS) if at >= 0), default=len(text))
        high = min(len(text), max(stop + self.reach, value_end + 1))   # and the @ that ends a URL's password
        if high - low >= len(text) // 2:
            return self.spans(text)
        return [(span_start + low, span_end + low) for span_start, span_end in self.spans(text[low:high])]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where secrets are in ``text``: sorted, merged [start, end) spans."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        found = [match.span() for match in _QUERY_PASS.finditer(text)]   # an empty pass= is masked too
        found += [match.span(1) for match in _URL_PASSWORD.finditer(text) if match.end(1) > match.start(1)]
        if self._secrets:
            if self._patterns is None:
                self._patterns = _secret_patterns(frozenset(self._secrets))
            literal, plain = self._patterns
            found += [match.span() for match in literal.finditer(text)]
            if "&" in text or "%" in text:
                decoded = _Decoded(text)
                found += [decoded.raw_span(*match.span()) for match in plain.finditer(decoded.text)]
        merged: list[tuple[int, int]] = []
        for span_start, span_end in sorted(found):
            if merged and span_start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], span_end))
            else:
                merged.append((span_start, span_end))
        self._last = (text, merged)
        return merged


@functools.lru_cache(maxsize=32)
def _secret_patterns(secrets: frozenset[str]) -> tuple[re.Pattern, re.Pattern]:
    """The patterns of every form of ``secrets`` (raw text, then decoded text), made once per set: a
    world adds its secrets one by one, and each case with a wrong password copies the set plus one."""
    return (_alternation(set().union(*(secret_forms(s) for s in secrets))),
            _alternation(set().union(*(plain_forms(s) for s in secrets))))


def _alternation(forms: set[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of ``forms``, longest first."""
    return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)), re.IGNORECASE)


def mask_url(url: str) -> str:
    """A database or target URL with its password masked (``mysql://u:********@h/db``)."""
    return _URL_PASSWORD.sub(lambda m: m.group(0).replace(f":{m.group(1)}@", f":{MASK}@", 1), url)

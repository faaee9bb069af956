"""PHP behaviours the reference host must reproduce to answer byte for byte like upstream.

Strings inside the host are PHP byte strings held as latin-1 ``str`` (one char per byte),
so ``len`` is PHP's ``strlen`` and nothing is lost on the way back out.
"""

from __future__ import annotations

import re


class PhpFatal(Exception):
    """An uncaught PHP error (a TypeError, say): the script stops, and with nothing sent yet
    (output is buffered) the answer is HTTP 500 with what was printed so far."""


class PhpArray(str):
    """A parameter PHP parsed as an array (``agent_user[]=1``). Interpolated into a text or an SQL
    statement it is "Array" (PHP warns and goes on); it equals no text; strlen(), substr(),
    strpos() or a string function of it is PHP 8's fatal TypeError, so those raise PhpFatal.
    preg_replace() keeps it an array (php.keep and php.remove pass it through)."""

    def __new__(cls) -> "PhpArray":
        return super().__new__(cls, "Array")

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = str.__hash__

    def __bool__(self) -> bool:   # a non-empty array is true, and no error
        return True

    def _fatal(self, *_args, **_kwargs):
        raise PhpFatal("a string function was given an array")

    __len__ = __getitem__ = __contains__ = __iter__ = _fatal
    upper = lower = strip = lstrip = rstrip = replace = split = startswith = endswith = _fatal
    isdigit = find = partition = rpartition = zfill = ljust = rjust = _fatal


_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*")


def is_numeric(text: str) -> bool:
    """PHP 8's notion of a numeric string (leading and trailing whitespace allowed)."""
    return bool(_NUMERIC.fullmatch(text))


def compare(text: str, number: int) -> int:
    """PHP 8 ``$text <=> $number``: numeric strings compare as numbers, others as strings."""
    if is_numeric(text):
        value = float(text)
        return (value > number) - (value < number)
    other = str(number)
    return (text > other) - (text < other)


def keep(text: str, allowed: str, non_latin: bool = False) -> str:
    """``preg_replace('/[^allowed]/', '', text)``; in non-latin mode letters of any script stay.

    ``allowed`` is a regex character-class body over ASCII (e.g. ``-_0-9a-zA-Z``).
    Non-latin mode mirrors upstream's ``\\p{L}`` with the ``/u`` modifier: the bytes are
    read as UTF-8, and invalid UTF-8 makes preg_replace fail, leaving an empty string.
    """
    if isinstance(text, PhpArray):   # preg_replace() of an array is an array
        return text
    if not non_latin:
        return re.sub(f"[^{allowed}]", "", text)
    try:
        decoded = text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return ""
    ascii_only = allowed.replace("a-zA-Z", "")
    kept = "".join(char for char in decoded if char.isalpha() or re.fullmatch(f"[{ascii_only}]", char))
    return kept.encode("utf-8").decode("latin-1")


def remove(text: str, characters: str) -> str:
    """Remove every one of ``characters`` (a literal set) from ``text``."""
    if isinstance(text, PhpArray):
        return text
    return text.translate({ord(char): None for char in characters})


def loose_equals(left: str | None, right: str) -> bool:
    """PHP 8 ``$left == "$right"`` for a database value (NULL reads as '') and a string: two
    numeric strings compare as numbers ("05550108" equals "5550108"), others byte for byte."""
    left = "" if left is None else left
    if is_numeric(left) and is_numeric(right):
        if re.fullmatch(r"\s*[+-]?\d+\s*", left) and re.fullmatch(r"\s*[+-]?\d+\s*", right):
            return int(left) == int(right)
        return float(left) == float(right)
    return left == right

"""How upstream's MySQL compares text, for the reference host on SQLite.

Upstream's tables are utf8mb3_unicode_ci: MariaDB's UCA 4.0.0 collation compares the primary
weights of the characters, so case and accents are ignored (é = E, ß = ss, ﬁ = fi), some
letters stay apart (ø, æ, ł, ı), control characters weigh nothing, punctuation comes before
digits and digits before letters (``TEST_1`` < ``TEST1``), and the shorter text is padded with
spaces (PAD SPACE: ``'a '`` = ``'a'``, ``'a\\t'`` < ``'a'``). The weights are MariaDB's own, read
by ``tools/record_collation.py`` into ``unicode_ci_weights.txt.gz`` (those UCA does not compute
from the code point).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("unicode_ci_weights.txt.gz")
SPACE = 0x0209   # the weight a padded text is compared with


def implicit_weights(point: int) -> tuple[int, ...]:
    """UCA's weights for a character its table does not list (CJK ideographs first)."""
    if 0x4E00 <= point <= 0x9FA5 or 0xF900 <= point <= 0xFA2D:
        base = 0xFB40
    elif 0x3400 <= point <= 0x4DB5:
        base = 0xFB80
    else:
        base = 0xFBC0
    return base + (point >> 15), (point & 0x7FFF) | 0x8000


@lru_cache(maxsize=1)
def _table() -> dict[int, tuple[int, ...]]:
    table = {}
    for line in gzip.decompress(WEIGHTS_FILE.read_bytes()).decode("ascii").splitlines():
        if line and not line.startswith("#"):
            point, *weights = line.split()
            table[int(point, 16)] = tuple(int(weight, 16) for weight in weights)
    return table


def _character(character: str) -> tuple[int, ...]:
    point = ord(character)
    found = _table().get(point)
    if found is not None:
        return found
    if point > 0xFFFF:   # beyond utf8mb3: a utf8mb3 column stores "?" in its place
        return _character("?")
    return implicit_weights(point)


@lru_cache(maxsize=1 << 16)
def weights(text: str) -> tuple[int, ...]:
    """The primary weights of ``text``, as WEIGHT_STRING reads them without padding."""
    return tuple(weight for character in text for weight in _character(character))


# Most text a world or a case holds is made of characters of one weight each, none below a space's
# (letters, digits, punctuation of Latin-1 and Latin Extended-A/B). Such a text has a sort key, one
# character per weight, trailing spaces dropped: two keys compare as the texts do, padding included
# (the first weight past the shorter key's end is above a space's). The callback compares keys.
_FAST_BELOW = 0x250
_NO_KEY = "\uffff"


@lru_cache(maxsize=1)
def key_characters() -> tuple[dict[int, str], str]:
    """Code point below ``_FAST_BELOW`` -> the character its weight ranks as (from chr(1), a space's),
    or ``_NO_KEY`` for one that weighs nothing, weighs several or less than a space; and the first
    character past the ranks (every untranslated character, from ``_FAST_BELOW``, is above it)."""
    single = {point: found[0] for point in range(_FAST_BELOW)
              if len(found := _character(chr(point))) == 1 and found[0] >= SPACE}
    rank = {weight: chr(1 + index) for index, weight in enumerate(sorted(set(single.values())))}
    assert len(rank) + 1 < _FAST_BELOW
    return {point: rank.get(single.get(point), _NO_KEY) for point in range(_FAST_BELOW)}, chr(1 + len(rank))


@lru_cache(maxsize=1 << 16)
def sort_key(text: str) -> str | None:
    """The text's sort key, or None when a character of it has none (compared by weights instead)."""
    table, past_ranks = key_characters()
    key = text.translate(table)
    return key.rstrip("\x01") if not key or max(key) < past_ranks else None


def mysql_text_order(left: str, right: str) -> int:
    """-1, 0 or 1: how utf8mb3_unicode_ci orders two texts (SQLite's collation callback)."""
    if left == right:
        return 0
    a, b = sort_key(left), sort_key(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    return order_by_weights(left, right)


def order_by_weights(left: str, right: str) -> int:
    """-1, 0 or 1 from the texts' weights, padded with spaces: any two texts."""
    a, b = weights(left), weights(right)
    for x, y in zip(a, b):
        if x != y:
            return -1 if x < y else 1
    shorter = min(len(a), len(b))
    rest, sign = (a[shorter:], 1) if len(a) > len(b) else (b[shorter:], -1)
    for weight in rest:
        if weight != SPACE:
            return sign if weight > SPACE else -sign
    return 0

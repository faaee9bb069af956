"""How MySQL (non-strict, upstream's sql_mode) reads the statements api.php builds by pasting
values between quotes, unescaped, and what it stores of a text in a typed column."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..tables.collation import mysql_text_order
from ..tables.schema import TABLES, Column, cut

# Backslash escapes inside a quoted string; any other escaped character stands for itself,
# except % and _, which keep their backslash.
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "%": "\\%", "_": "\\_"}
_IDENTIFIER = re.compile(r"[ \t\r\n]*([0-9A-Za-z_$]+)[ \t\r\n]*=[ \t\r\n]*")


def _literal(text: str, start: int) -> tuple[str, int] | None:
    """The string literal opening at ``text[start]`` (' or "), adjacent literals joined, and the
    index after it; None when it never closes."""
    value, position = [], start
    while position < len(text) and text[position] in "'\"":
        quote, position = text[position], position + 1
        while True:
            if position >= len(text):
                return None
            char = text[position]
            if char == "\\" and position + 1 < len(text):
                escaped = text[position + 1]
                value.append(_ESCAPES.get(escaped, escaped))
                position += 2
            elif char == "\\":
                return None
            elif char == quote and text[position + 1:position + 2] == quote:
                value.append(quote)
                position += 2
            elif char == quote:
                position += 1
                break
            else:
                value.append(char)
                position += 1
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
    return "".join(value), position


def single_literal(text: str) -> str | None:
    """What MySQL reads from the literal ``text`` (quotes included) if it is one whole string
    literal; None when it is not (a syntax error, or more SQL after it)."""
    parsed = _literal(text, 0) if text[:1] in ("'", '"') else None
    return parsed[0] if parsed and parsed[1] == len(text) else None


def assignments(text: str) -> list[tuple[str, str]] | None:
    """The ``column=value`` pairs of a SET list of string literals (``a="x",b="y"``), as MySQL
    reads them; None for anything else, which MySQL refuses."""
    found, position = [], 0
    while True:
        match = _IDENTIFIER.match(text, position)
        if match is None or text[match.end():match.end() + 1] not in ("'", '"') or match.end() >= len(text):
            return None
        parsed = _literal(text, match.end())
        if parsed is None:
            return None
        found.append((match.group(1), parsed[0]))
        position = parsed[1]
        if position == len(text):
            return found
        if text[position] != ",":
            return None
        position += 1


def integer(text: str, low: int, high: int) -> int:
    """A text stored in an integer column: its leading number (0 if none), clamped to the range."""
    match = re.match(r"[ \t\r\n]*[-+]?\d+", text)
    return max(low, min(high, int(match.group(0)))) if match else 0


def decimal(text: str, precision: int, scale: int) -> Decimal:
    """A text stored in a DECIMAL(precision, scale): its leading number (0 if none), rounded half
    away from zero to the scale and clamped to the column's range."""
    match = re.match(r"[ \t\r\n]*([-+]?(\d+\.?\d*|\.\d+))", text)
    value = Decimal(match.group(1)) if match else Decimal(0)
    limit = Decimal(10) ** (precision - scale) - Decimal(1).scaleb(-scale)
    value = value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    return max(-limit, min(limit, value))


def date_text(text: str) -> str:
    """A text stored in a DATE: YYYY-MM-DD (or YY-MM-DD, YYYYMMDD, YYMMDD) with a month and a day
    that exist (or are 0); anything else is 0000-00-00."""
    match = re.fullmatch(r"(\d{1,4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(r"(\d{4})(\d\d)(\d\d)", text) \
        or re.fullmatch(r"(\d\d)(\d\d)(\d\d)", text)
    if match is None:
        return "0000-00-00"
    year, month, day = (int(part) for part in match.groups())
    if len(match.group(1)) <= 2:
        year += 2000 if year < 70 else 1900
    if month > 12 or day > 31:
        return "0000-00-00"
    if month and day:
        try:
            date(max(year, 1), month, day)
        except ValueError:
            return "0000-00-00"
    return f"{year:04d}-{month:02d}-{day:02d}"


def datetime_text(text: str) -> str:
    """A text stored in a DATETIME: a date as ``date_text`` reads it, a space, and H:M or H:M:S
    within the day; anything else is 0000-00-00 00:00:00."""
    zero = "0000-00-00 00:00:00"
    match = re.fullmatch(r"(\d{1,4}-\d{1,2}-\d{1,2}) (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?", text)
    if match is None:
        return zero
    day = date_text(match.group(1))
    hour, minute, second = (int(part or 0) for part in match.groups()[1:])
    if day == "0000-00-00" and match.group(1).strip("0-") or hour > 23 or minute > 59 or second > 59:
        return zero
    return f"{day} {hour:02d}:{minute:02d}:{second:02d}"


def enum_member(text: str, members: list[str]) -> str:
    """A text stored in an ENUM: the member it names as the column's collation compares them (case
    and accents aside, trailing spaces padded: 'ý ' is Y, ' Y' is none), else ''."""
    return next((member for member in members if mysql_text_order(member, text) == 0), "")


def number(text: str) -> float:
    """A text compared with a number column (``list_id='9990201x'``): MySQL reads both as doubles,
    the text as its leading number (0 if none), so '09990201' and '9990201x' equal 9990201."""
    match = re.match(r"[ \t\r\n]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text)
    if match is None:
        return 0.0
    try:
        return float(match.group(0))
    except OverflowError:   # 1e999: MySQL's double overflows too
        return float("inf")


def stored(table: str, column: str, text: str):
    """What MySQL's non-strict mode stores of ``text`` in a column of an upstream table."""
    return stored_in(TABLES[table].column(column), text)


def stored_in(declared: Column, text: str):
    """What MySQL's non-strict mode stores of ``text`` in the column ``declared``."""
    mysql_type = declared.mysql_type
    if mysql_type.startswith("ENUM"):
        return enum_member(text, declared.enum_values)
    if mysql_type == "DATE":
        return date_text(text)
    if mysql_type == "DATETIME":
        return datetime_text(text)
    if mysql_type.startswith("DECIMAL"):
        precision, scale = (int(part) for part in re.findall(r"\d+", mysql_type))
        return str(decimal(text, precision, scale))
    if mysql_type.startswith("TINYINT"):
        return integer(text, 0, 255) if "UNSIGNED" in mysql_type else integer(text, -128, 127)
    if mysql_type.startswith("SMALLINT"):
        return integer(text, 0, 65535) if "UNSIGNED" in mysql_type else integer(text, -32768, 32767)
    if "INT" in mysql_type:
        return integer(text, 0, 2 ** 63 - 1)
    return cut(declared, text)

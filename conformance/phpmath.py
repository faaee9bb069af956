"""PHP's arithmetic and number formatting, as VICIdial's reports print numbers.

Shared by the oracle and the reference host because it is not aggregation: it is PHP's
own behaviour, pinned by tests against values PHP prints (tests/test_phpmath.py). The
aggregations that use it are written twice, independently.

- ``php_round``: PHP 5.3 to 8.3 ``round()``: the value is first taken to 15 significant
  digits, then rounded half away from zero (Python's ``round`` rounds half to even on the
  binary value: ``round(2.5) == 2``, PHP's ``round(2.5) == 3``).
- ``php_str``: PHP's float-to-string with ``precision=14`` (``100.0`` prints ``100``).
- ``sec_convert`` and ``math_zdc``: www/vicidial/functions.php.
- ``strnatcasecmp`` and ``natural_sorted``: PHP 8's natural-order comparison (ext/standard
  strnatcmp.c, case ignored) and a stable ``uksort`` by it, as the call reports order their keys.
- ``sprintf_1f``: PHP's ``sprintf("%.1f")``, the binary value correctly rounded (ties to even).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal

Number = int | float


def php_round(value: Number, places: int = 0) -> float:
    """PHP ``round($value, $places)`` (PHP <= 8.3): always a float."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    pre_rounded = Decimal(format(value, ".15g"))
    return float(pre_rounded.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def php_str(value: Number | str | None) -> str:
    """How PHP interpolates a value into a string (floats with precision 14)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value)) if value != 0 else ("-0" if math.copysign(1, value) < 0 else "0")
    text = format(value, ".14G")
    if "E" in text:
        mantissa, exponent = text.split("E")
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}E{int(exponent):+d}"
    return text


def php_number(value: Number | str | None) -> Number:
    """PHP's numeric value of a scalar in arithmetic: a string counts by its leading number."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return value
    match = re.match(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value)
    if not match:
        return 0
    text = match.group(0).strip()
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)


def math_zdc(dividend: Number | str | None, divisor: Number) -> Number:
    """``MathZDC``: 0 when dividing by zero or when the dividend is zero.

    PHP 8 compares a non-numeric string with 0 as text, so "0:01:36" is not == 0 and
    is divided by its leading number; the result is the same 0 that PHP 7 returns early.
    """
    if divisor == 0:
        return 0
    number = php_number(dividend)
    if number == 0:
        return 0
    if isinstance(number, int) and isinstance(divisor, int) and number % divisor == 0:
        return number // divisor
    return number / divisor


def sec_convert(seconds: Number, time_format: str) -> str:
    """``sec_convert``: H and HF give h:mm:ss, M gives m:ss, anything else the seconds."""
    seconds = php_round(seconds)
    if seconds < 1:
        if time_format in ("HF", "H"):
            return "0:00:00"
        return "0" if time_format == "S" else "0:00"
    if time_format in ("HF", "H"):
        hours = math.floor(seconds / 3600)
        rest = seconds - hours * 3600
        minutes = math.floor(rest / 60)
        rest -= minutes * 60
        return f"{hours}:{minutes:02d}:{php_str(rest).zfill(2)}"
    if time_format == "M":
        minutes = math.floor(seconds / 60)
        rest = seconds - minutes * 60
        return f"{minutes}:{php_str(rest).zfill(2)}"
    return php_str(seconds)


def _at(text: str, index: int) -> str:
    return text[index] if index < len(text) else "\0"   # PHP's strings end in a NUL byte


def _digit(text: str, index: int) -> bool:
    return index < len(text) and text[index] in "0123456789"


def _space(char: str) -> bool:
    return char in " \t\n\v\f\r"


def _digit_runs(a: str, i: int, b: str, j: int, fractional: bool) -> tuple[int, int, int]:
    """Compare the digit runs at a[i:] and b[j:]: left-aligned (a run starting with 0) or by
    magnitude; returns the result and where each run ended."""
    bias = 0
    while True:
        a_in, b_in = _digit(a, i), _digit(b, j)
        if not a_in and not b_in:
            return bias, i, j
        if not a_in:
            return -1, i, j
        if not b_in:
            return 1, i, j
        if a[i] != b[j]:
            order = -1 if a[i] < b[j] else 1
            if fractional:
                return order, i, j
            bias = bias or order
        i, j = i + 1, j + 1


def strnatcasecmp(a: str, b: str) -> int:
    """PHP 8's ``strnatcasecmp``: -1, 0 or 1."""
    if not a or not b:
        return (len(a) > len(b)) - (len(a) < len(b))
    i = j = 0
    leading = True
    while True:
        ca, cb = _at(a, i), _at(b, j)
        while leading and ca == "0" and _digit(a, i + 1):
            i += 1
            ca = a[i]
        while leading and cb == "0" and _digit(b, j + 1):
            j += 1
            cb = b[j]
        leading = False
        while _space(ca):
            i += 1
            ca = _at(a, i)
        while _space(cb):
            j += 1
            cb = _at(b, j)
        if ca in "0123456789" and cb in "0123456789" and ca != "\0" and cb != "\0":
            result, i, j = _digit_runs(a, i, b, j, ca == "0" or cb == "0")
            if result:
                return result
            if i >= len(a) and j >= len(b):
                return 0
            if i >= len(a):
                return -1
            if j >= len(b):
                return 1
            ca, cb = a[i], b[j]
        ca, cb = _upper(ca), _upper(cb)
        if ca != cb:
            return -1 if ord(ca) < ord(cb) else 1
        i, j = i + 1, j + 1
        if i >= len(a) and j >= len(b):
            return 0
        if i >= len(a):
            return -1
        if j >= len(b):
            return 1


def _upper(char: str) -> str:
    return char.upper() if "a" <= char <= "z" else char   # C toupper: ASCII letters only


def natural_sorted(keys) -> list:
    """``uksort($array, "strnatcasecmp")`` on PHP 8 (a stable sort): keys compared as text."""
    return sorted(keys, key=functools.cmp_to_key(lambda x, y: strnatcasecmp(str(x), str(y))))


def sprintf_1f(value: Number) -> str:
    """PHP's ``sprintf("%.1f", value)``."""
    return "%.1f" % value

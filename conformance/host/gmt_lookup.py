"""A phone number's GMT offset at a moment, as upstream's Non-Agent API works it out.

Reproduces the behaviour of www/vicidial/non_agent_api.php (2.14-202) lookup_gmt_api, as pure
functions of the code rows' values, the epoch and the server's offset (call_times.py reads the
rows and hands them here). What the port keeps, odd parts included (each one pinned by
tests/data/gmt_upstream.json, recorded from upstream, or by tests/test_gmt_lookup.py):

- Where the offset comes from: a postal code (POSTAL in the method, code exactly "1", five
  characters or more), a time zone code (the method exactly TZCODE, an owner of two characters
  or more: it starts from 0 and no rule), a NANPA prefix (NANPA in the method, area and prefix of
  three characters: DST Y means rule SSM-FSN); the last one found wins. Found none: the phone
  code by area code (code 1 or 52, compared as PHP compares numbers), by state (61), and else
  (or when those found nothing) the code's first row whatever its area. The row's DST column is
  never read: only its DST_range names a rule.
- When: the server's wall clock in PHP's time zone, moved by the number's offset less the
  server's (whole hours: PHP's mktime() drops the half of a half-hour difference), read again
  in PHP's zone. The server's offset is its active servers row's local_gmt, plus one when PHP's
  zone is in daylight saving time (so "standard" is not standard), or PHP's own zone's offset
  read as hundreds (-0530 is -5.3) when no server is active.
- The rules as upstream has them, not as their names say: SSM-FSN counts March 14 as daylight
  saving time from midnight even when it is the second Sunday; FSO-TSM ends on a Sunday from the
  14th (the second Sunday, in a year whose March starts on a Monday); LSS-FSA never starts in
  September (its September test is unreachable): it starts at midnight on October 1; TSO-LSF
  starts on the Sunday from the 22nd of October, a week after the third Sunday, and ends on the
  Sunday from the 22nd of February, which in a leap year may not be the last one.
- The printed offset: the row's text with its "+" signs removed when no daylight saving applies;
  else that text plus one as PHP prints a number ("-5.00" becomes -4, "5.50" becomes 6.5).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Callable

from ..phpmath import php_str
from .php import PhpFatal, is_numeric

# month, day of month, seconds into the day, weekday (0 is Sunday) -> daylight saving time?
Rule = Callable[[int, int, int, int], bool]


def _latest_sunday(day: int, weekday: int) -> int:
    """The day of the month of the last Sunday on or before ``day`` (0 or less: none yet)."""
    return day - weekday


def _ssm_fsn(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month in (3, 11):
        if month == 3:
            if day > 13:
                return True
            return _latest_sunday(day, weekday) >= 8 and not (weekday == 0 and seconds < 7200)
        if day > 7:
            return False
        if _latest_sunday(day, weekday) < 1:
            return True
        return weekday == 0 and seconds < 7200
    return 4 <= month <= 10


def _fsa_lso(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 4:
        if day > 7:
            return True
        return _latest_sunday(day, weekday) >= 1 and not (weekday == 0 and seconds < 7200)
    if month == 10:
        if day < 25 or _latest_sunday(day, weekday) < 25:
            return True
        return weekday == 0 and seconds < 7200
    return 5 <= month <= 9


def _after_last_sunday(day: int, weekday: int, seconds: int, hour: int = 1) -> bool:
    """From the last Sunday (a Sunday from the 25th) at ``hour`` on."""
    if day < 25 or _latest_sunday(day, weekday) < 25:
        return False
    return weekday != 0 or seconds >= hour * 3600


def _lsm_lso(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 3:
        return _after_last_sunday(day, weekday, seconds)
    if month == 10:
        return not _after_last_sunday(day, weekday, seconds)
    return 4 <= month <= 9


def _southern(month: int) -> bool:
    """Outside the changeover months: daylight saving time from November to February."""
    return month < 3 or month > 10


def _lso_lsm(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 3:
        return not _after_last_sunday(day, weekday, seconds)
    if month == 10:
        return _after_last_sunday(day, weekday, seconds)
    return _southern(month)


def _from_first_sunday_october(day: int, weekday: int, seconds: int) -> bool:
    """October: from its first Sunday at 1 am."""
    if day > 7:
        return True
    return _latest_sunday(day, weekday) >= 1 and not (weekday == 0 and seconds < 3600)


def _fso_lsm(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 3:
        return not _after_last_sunday(day, weekday, seconds)
    if month == 10:
        return _from_first_sunday_october(day, weekday, seconds)
    return _southern(month)


def _until_first_sunday_april(day: int, weekday: int, seconds: int) -> bool:
    """April: until its first Sunday at 2 am (local time)."""
    if day > 7:
        return False
    if _latest_sunday(day, weekday) >= 1:
        return weekday == 0 and seconds < 7200
    return True


def _fso_fsa(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 4:
        return _until_first_sunday_april(day, weekday, seconds)
    if month == 10:
        return _from_first_sunday_october(day, weekday, seconds)
    return month < 4 or month > 10


def _fso_tsm(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 3:
        if day < 14 or _latest_sunday(day, weekday) < 14:
            return True
        return weekday == 0 and seconds < 3600
    if month == 10:
        return _from_first_sunday_october(day, weekday, seconds)
    return _southern(month)


def _lss_fsa(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month == 4:
        return _until_first_sunday_april(day, weekday, seconds)
    return month < 4 or month > 9   # September falls in the "May to September" test first


def _tso_lsf(month: int, day: int, seconds: int, weekday: int) -> bool:
    if month in (2, 10):
        passed = day >= 22 and _latest_sunday(day, weekday) >= 22 and (weekday != 0 or seconds >= 3600)
        return not passed if month == 2 else passed
    return month < 2 or month > 10


RULES: dict[str, Rule] = {
    "SSM-FSN": _ssm_fsn, "FSA-LSO": _fsa_lso, "LSM-LSO": _lsm_lso, "LSO-LSM": _lso_lsm, "FSO-LSM": _fso_lsm,
    "FSO-FSA": _fso_fsa, "FSO-TSM": _fso_tsm, "LSS-FSA": _lss_fsa, "TSO-LSF": _tso_lsf,
}


def dst_in_effect(dst_range: str | None, local: _dt.datetime) -> bool:
    """Whether the rule named ``dst_range`` (matched exactly; any other name is no rule) puts
    the local wall clock ``local`` in daylight saving time."""
    rule = RULES.get(dst_range or "")
    if rule is None:
        return False
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return rule(local.month, local.day, seconds, (local.weekday() + 1) % 7)


@dataclass(frozen=True)
class Found:
    """What a lookup read: the offset as upstream holds it (the column's text with "+" removed,
    the integer 0 a time zone code starts from, None when nothing was found) and the rule."""

    offset: str | int | None
    dst_range: str | None = ""


NOTHING = Found(None, "")


def from_row(gmt_offset: str | None, dst_range: str | None) -> Found:
    """A postal or phone code row's offset and rule."""
    return Found((gmt_offset or "").replace("+", ""), dst_range)


def from_nanpa(gmt_offset: str | None, dst: str | None) -> Found:
    """A NANPA prefix row: its DST flag Y means the North American rule."""
    return Found((gmt_offset or "").replace("+", ""), "SSM-FSN" if dst == "Y" else "")


def from_tz_code(gmt_offset: str | None, greatest_range: str | None, found: bool) -> Found:
    """A time zone code: 0 and no rule unless a row was found (its offset; the greatest of the
    code's DST ranges)."""
    if not found:
        return Found(0, "")
    return Found((gmt_offset or "").replace("+", ""), greatest_range)


def lookups(method: str, phone_code: str, postal_code: str, owner: str, area: str, prefix: str) -> tuple[str, ...]:
    """The code tables a method reads, in upstream's order (the phone code fallback is apart)."""
    steps = []
    if re.search("POSTAL", method, re.IGNORECASE) and len(postal_code) > 4 and re.fullmatch(r"1\n?", phone_code):
        steps.append("POSTAL")
    if method == "TZCODE" and len(owner) > 1:
        steps.append("TZCODE")
    if re.search("NANPA", method, re.IGNORECASE) and len(area) > 2 and len(prefix) > 2:
        steps.append("NANPA")
    return tuple(steps)


def phone_code_key(phone_code: str) -> str:
    """How the fallback finds the phone code's row: "areacode" (1 and 52), "state" (61) or ""
    (the code's first row), by PHP's loose comparison of the code with those numbers."""
    if is_numeric(phone_code):
        number = float(phone_code)
        if number in (1, 52):
            return "areacode"
        if number == 61:
            return "state"
    return ""


_LEADING_NUMBER = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def php_number(value: str | float | None) -> float:
    """The value in PHP 8 arithmetic: a leading number counts (with a warning), a text without
    one is a TypeError."""
    if value is None or isinstance(value, (int, float)):
        return float(value or 0)
    match = _LEADING_NUMBER.match(value)
    if match is None:
        raise PhpFatal(f"the GMT offset {value!r} is not a number (PHP 8 TypeError)")
    return float(match.group(0))


def server_offset(local_gmt: str | None, active: bool, in_dst: bool, zone_offset: str) -> float | str | None:
    """The server's offset upstream calls standard: the active server's local_gmt, plus one in
    PHP's daylight saving time (an empty local_gmt leaves nothing, which plus one is 1); without
    an active server, PHP's zone offset (date("O"), "-0530") read as a number over 100."""
    if active:
        value: float | str | None = local_gmt if local_gmt else None
        if in_dst:
            value = 1.0 if value is None else php_number(value) + 1
        return value
    return int(zone_offset.replace("+", "")) / 100


def wall_clock(epoch: int, zone: _dt.tzinfo | None) -> _dt.datetime:
    """The moment as PHP's date() reads it in its zone (None: this process's local zone), naive."""
    moment = _dt.datetime.fromtimestamp(epoch, zone) if zone else _dt.datetime.fromtimestamp(epoch)
    return moment.replace(tzinfo=None)


def number_clock(epoch: int, offset: str | int | None, server: float | str | None,
                 zone: _dt.tzinfo | None) -> _dt.datetime:
    """The number's wall clock as upstream computes it: the server's clock with the hour moved
    by the offsets' difference, cut to a whole hour, through mktime() and date() in PHP's zone."""
    now = wall_clock(epoch, zone)
    hours = math.trunc(now.hour + php_number(offset) - php_number(server))
    naive = _dt.datetime(now.year, now.month, now.day) + _dt.timedelta(hours=hours, minutes=now.minute,
                                                                      seconds=now.second)
    return wall_clock(int(naive.replace(tzinfo=zone).timestamp()) if zone else int(naive.timestamp()), zone)


def offset_now(found: Found, epoch: int, server: float | str | None, zone: _dt.tzinfo | None = None) -> str:
    """The offset upstream prints for what the lookup found, at ``epoch``."""
    local = number_clock(epoch, found.offset, server, zone)
    if found.offset is None or not dst_in_effect(found.dst_range, local):
        return php_str(found.offset)
    return php_str(increment(found.offset))


def increment(value: str | int) -> int | float:
    """PHP's ++ on the offset: a whole-number text becomes an integer, any other number a float
    (a text with trailing letters, which PHP steps as a text, is not reproduced)."""
    if isinstance(value, int):
        return value + 1
    if not is_numeric(value):
        raise PhpFatal(f"++ on the GMT offset {value!r} (a text PHP steps letter by letter) is not reproduced")
    if re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value) + 1
    return float(value) + 1

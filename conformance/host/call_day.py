"""The one-day window that recording_lookup and did_log_export take from ``date``.

Upstream compares a DATETIME column with ``"<date> 00:00:00"`` and ``"<date> 23:59:59"``, where
``date`` is ten characters of digits and dashes. MariaDB reads such a bound as a datetime when it
is YYYY-MM-DD with a month up to 12 and a day up to 31 (June 31 passes); a bound it cannot read
compares as the zero datetime, so no row falls between the two.

``datetime_bound`` reads a whole "<date> <time>" bound as MariaDB does when it compares it with
a DATETIME (the call reports' windows, whose parts come unpadded from the request): a year of
two or four digits, month and day of one or two (0 to 12, 0 to 31: the install's sql_mode allows
zero parts), an hour with optional minutes and seconds (a part after its colon may be empty);
anything else is the zero datetime.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Mapping


def day_window(date: str) -> tuple[str, str] | None:
    """The first and last second of ``date`` as comparable text, or None when no row can match."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    if not match or int(match.group(2)) > 12 or int(match.group(3)) > 31:
        return None
    return f"{date} 00:00:00", f"{date} 23:59:59"


BOUND = re.compile(r"(\d{4}|\d{2})-(\d{1,2})-(\d{1,2}) (\d{1,2})(?::(\d{0,2}))?(?::(\d{0,2}))?")
LIMITS = (9999, 12, 31, 23, 59, 59)


def datetime_bound(text: str) -> str:
    """``text`` as the DATETIME MariaDB reads it, as comparable text (zero when unreadable)."""
    match = BOUND.fullmatch(text)
    if not match:
        return "0000-00-00 00:00:00"
    parts = [int(part) if part else 0 for part in match.groups()]
    if len(match.group(1)) == 2:
        parts[0] += 1900 if parts[0] >= 70 else 2000
    if any(part > limit for part, limit in zip(parts, LIMITS)):
        return "0000-00-00 00:00:00"
    return "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format(*parts)


def report_window(params: Mapping[str, str], epoch: int) -> tuple[str, str]:
    """The call reports' window (call_status_stats, call_dispo_report): query_date and query_time
    to end_date (else query_date) and end_time, a missing date being the host's today, each bound
    read by ``datetime_bound``."""
    start_day = params["query_date"] or _dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d")
    return (datetime_bound(f"{start_day} {params['query_time'] or '00:00:00'}"),
            datetime_bound(f"{params['end_date'] or start_day} {params['end_time'] or '23:59:59'}"))

"""The one-day window that recording_lookup and did_log_export take from ``date``.

Upstream compares a DATETIME column with ``"<date> 00:00:00"`` and ``"<date> 23:59:59"``, where
``date`` is ten characters of digits and dashes. MariaDB reads such a bound as a datetime when it
is YYYY-MM-DD with a month up to 12 and a day up to 31 (June 31 passes); a bound it cannot read
compares as the zero datetime, so no row falls between the two.
"""

from __future__ import annotations

import re


def day_window(date: str) -> tuple[str, str] | None:
    """The first and last second of ``date`` as comparable text, or None when no row can match."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    if not match or int(match.group(2)) > 12 or int(match.group(3)) > 31:
        return None
    return f"{date} 00:00:00", f"{date} 23:59:59"

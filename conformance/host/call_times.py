"""Local call times: is a lead's local time within a call time, and a number's GMT offset.

Follows upstream www/vicidial/non_agent_api.php (2.14-202): dialable_gmt, and lookup_gmt_api,
whose rules live in gmt_lookup (pure functions; this module reads the rows they need). A call
time's weekday hours are HHMM (a day of 0 to 0 takes the default hours); the local time is now
moved by the GMT offset, and a lead with a state takes the hours of its state's call time
(vicidial_state_call_times) where the call time names one. PHP's time zone is this process's
local zone, as elsewhere in the host.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from typing import Any

from ..tables.database import Database
from ..tables.schema import WEEKDAYS
from . import gmt_lookup
from .php import PhpFatal


def dialable_now(db: Database, epoch: int, call_time: str, gmt: Any, state: str = "") -> int:
    """1 when the local time (``epoch`` moved by the GMT offset) is within the call time's hours
    of that weekday; 0 otherwise, or for an unknown call time. A lead with a state takes, in place
    of every hour, those of the first state call time the call time names for that state."""
    columns = ["ct_default_start", "ct_default_stop"] + [f"ct_{day}_{end}" for day in WEEKDAYS for end in ("start", "stop")]
    row = db.one(f"SELECT {', '.join(columns)}, ct_state_call_times FROM vicidial_call_times WHERE call_time_id=?",
                 call_time)
    if row is None:
        return 0
    row, named = row[:-1], row[-1] or ""
    if len(named) > 2 and state:
        ids = state_call_time_ids(named)
        found = db.one(f"SELECT {', '.join('s' + column for column in columns)} FROM vicidial_state_call_times "
                       f"WHERE state_call_time_id IN ({', '.join('?' for _ in ids)}) AND state_call_time_state=? "
                       f"LIMIT 1", *ids, state)
        row = found or row
    local = _dt.datetime.fromtimestamp(epoch + int(3600 * float(gmt or 0)), _dt.timezone.utc)
    weekday = (local.weekday() + 1) % 7   # 0 is Sunday, as PHP's date("w")
    hour = local.hour * 100 + local.minute
    start, stop = int(row[2 + 2 * weekday] or 0), int(row[3 + 2 * weekday] or 0)
    if start == 0 and stop == 0:
        start, stop = int(row[0] or 0), int(row[1] or 0)
    return 1 if start <= hour < stop else 0


_QUOTED_LIST = re.compile(r"'[^'\\]*'(,'[^'\\]*')*")


def state_call_time_ids(named: str) -> list[str]:
    """The ids a call time's ct_state_call_times names (``|id|id|``), as upstream's IN() reads them
    once each bar is made a quoted comma and the outer ones cut; any other shape is an SQL error."""
    pasted = re.sub(r"^',|,'$", "", named.replace("|", "','"))
    if not _QUOTED_LIST.fullmatch(pasted):
        raise PhpFatal(f"SQL syntax error in IN({pasted})")
    return re.findall(r"'([^'\\]*)'", pasted)


def gmt_offset(db: Database, phone: str, phone_code: str, method: str, postal_code: str, owner: str, *,
               epoch: int, state: str = "", prefix: str | None = None) -> str:
    """The number's GMT offset at ``epoch`` as upstream prints it (lookup_gmt_api): the code rows
    read here, the rest in gmt_lookup. ``prefix`` is upstream's USprefix (the number's 4th to 6th
    characters unless a caller cut it); ``method`` is the tz_method as the caller passes it."""
    area, prefix = phone[:3], phone[3:6] if prefix is None else prefix
    found, any_found = gmt_lookup.NOTHING, False
    for step in gmt_lookup.lookups(method, phone_code, postal_code, owner, area, prefix):
        if step == "TZCODE":
            found, hit = _tz_code(db, owner, phone_code)
        else:
            hit = db.one(_STEPS[step], *((postal_code + "%", phone_code) if step == "POSTAL" else (area, prefix)))
            if hit is not None:
                found = gmt_lookup.from_row(*hit) if step == "POSTAL" else gmt_lookup.from_nanpa(*hit)
        any_found = any_found or hit is not None
    if not any_found:
        found = _phone_code(db, phone_code, area, state) or found
    return gmt_lookup.offset_now(found, epoch, _server_offset(db, epoch))


_STEPS = {
    "POSTAL": "SELECT GMT_offset, DST_range FROM vicidial_postal_codes WHERE postal_code LIKE ? AND country_code=?",
    "NANPA": "SELECT GMT_offset, DST FROM vicidial_nanpa_prefix_codes WHERE areacode=? AND prefix=?",
}


def _tz_code(db: Database, owner: str, phone_code: str) -> tuple[gmt_lookup.Found, tuple | None]:
    """A time zone code of the number's country: its first row's offset, its greatest DST range."""
    row = db.one("SELECT GMT_offset FROM vicidial_phone_codes WHERE tz_code=? AND country_code=? LIMIT 1",
                 owner, phone_code)
    greatest = db.value("SELECT DST_range FROM vicidial_phone_codes WHERE tz_code=? AND country_code=? "
                        "ORDER BY DST_range DESC LIMIT 1", owner, phone_code)
    return gmt_lookup.from_tz_code(row[0] if row else None, greatest, row is not None), row


def _phone_code(db: Database, phone_code: str, area: str, state: str) -> gmt_lookup.Found | None:
    """The fallback: the phone code's row by area code (1, 52) or state (61), else its first row."""
    key = gmt_lookup.phone_code_key(phone_code)
    statement = "SELECT GMT_offset, DST_range FROM vicidial_phone_codes WHERE country_code=?"
    row = db.one(f"{statement} AND {key}=?", phone_code, area if key == "areacode" else state) if key else None
    if row is None:
        row = db.one(statement, phone_code)
    return gmt_lookup.from_row(*row) if row else None


def _server_offset(db: Database, epoch: int) -> float | str | None:
    """The server's offset as upstream reads it (gmt_lookup.server_offset), PHP's zone being this
    process's local zone."""
    row = db.one("SELECT local_gmt FROM servers WHERE active='Y' LIMIT 1")
    local = time.localtime(epoch)
    return gmt_lookup.server_offset(None if row is None else row[0], row is not None, local.tm_isdst > 0,
                                    time.strftime("%z", local))

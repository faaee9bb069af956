"""Local call times: is a lead's local time within a call time, and a number's GMT offset.

Follows upstream www/vicidial/non_agent_api.php (2.14-202): dialable_gmt, and the part of
lookup_gmt_api this host can answer. A call time's weekday hours are HHMM (a day of 0 to 0
takes the default hours); the local time is now moved by the GMT offset. The offset lookup
reads the host's phone and postal code tables, then daylight saving rules by region and date:
only the case where the host has no code of the number's country is reproduced (no offset, or
0 for a time zone code, as upstream's variables are left), and a lookup that would find one is
answered as PHP dying (PhpFatal), so no target is judged against a made-up offset. State call
times are not read (vicidial_state_call_times is not declared).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..tables.database import Database
from ..tables.schema import WEEKDAYS
from .php import PhpFatal

def dialable_now(db: Database, epoch: int, call_time: str, gmt: Any) -> int:
    """1 when the local time (``epoch`` moved by the GMT offset) is within the call time's hours
    of that weekday; 0 otherwise, or for an unknown call time."""
    columns = ["ct_default_start", "ct_default_stop"] + [f"ct_{day}_{end}" for day in WEEKDAYS for end in ("start", "stop")]
    row = db.one(f"SELECT {', '.join(columns)} FROM vicidial_call_times WHERE call_time_id=?", call_time)
    if row is None:
        return 0
    local = _dt.datetime.fromtimestamp(epoch + int(3600 * float(gmt or 0)), _dt.timezone.utc)
    weekday = (local.weekday() + 1) % 7   # 0 is Sunday, as PHP's date("w")
    hour = local.hour * 100 + local.minute
    start, stop = int(row[2 + 2 * weekday] or 0), int(row[3 + 2 * weekday] or 0)
    if start == 0 and stop == 0:
        start, stop = int(row[0] or 0), int(row[1] or 0)
    return 1 if start <= hour < stop else 0


def gmt_offset(db: Database, phone: str, phone_code: str, method: str, postal_code: str, owner: str) -> str:
    """The number's offset as upstream prints it, where the host holds no code that could give one:
    empty, or 0 after a time zone code (TZCODE with an owner of 2 characters or more) found nothing."""
    if method == "POSTAL" and len(postal_code) > 4 and phone_code == "1" and db.value(
            "SELECT count(*) FROM vicidial_postal_codes WHERE country_code=? AND postal_code LIKE ?",
            phone_code, postal_code + "%"):
        raise PhpFatal("a postal code's time zone and daylight saving time are not reproduced by this host")
    if method == "NANPA" and len(phone) > 5 and db.value(
            "SELECT count(*) FROM vicidial_nanpa_prefix_codes WHERE areacode=? AND prefix=?", phone[:3], phone[3:6]):
        raise PhpFatal("a NANPA prefix's time zone and daylight saving time are not reproduced by this host")
    if db.value("SELECT count(*) FROM vicidial_phone_codes WHERE country_code=?", phone_code):
        raise PhpFatal("a phone code's time zone and daylight saving time are not reproduced by this host")
    return "0" if method == "TZCODE" and len(owner) > 1 else ""

"""``hopper_list``: a campaign's READY hopper rows with their leads, highest priority first.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) hopper_list. The campaign must be one
of the API user's group's allowed campaigns (a group without a row allows none). By default each
hopper row's lead is looked up on its own, so a row whose lead is gone is listed with empty lead
columns; search_method BLOCK joins the two tables and drops it. age_days counts from the lead's
entry_date to now; last_call_time is the lead's last local call, moved by the hopper's GMT offset
less the server's, in hours, days, years (each word padded to 6 characters) or NEVER (9).
"""

from __future__ import annotations

import time
from typing import Any

from ..export import export
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function

PARAMS = {"campaign_id": "-_0-9a-zA-Z", "search_method": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}
HEADER = ("hopper_order", "priority", "lead_id", "list_id", "phone_number", "phone_code", "state", "status", "count",
          "gmt_offset", "rank", "alt", "hopper_source", "vendor_lead_code", "source_id", "age_days", "last_call_time")
HOPPER_LIMIT = 10000
_HOPPER = ("SELECT h.lead_id, h.list_id, h.gmt_offset_now, h.state, h.alt_dial, h.priority, h.source, "
           "h.vendor_lead_code{lead} FROM vicidial_hopper h{join} WHERE h.status='READY'{allowed} "
           "AND upper(rtrim(h.campaign_id))=? ORDER BY h.priority DESC, h.hopper_id LIMIT {limit}")
_LEAD = ("phone_number", "status", "called_count", "phone_code", "entry_date", "last_local_call_time", "source_id",
         "rank")
_EPOCHS = ("entry_date", "last_local_call_time")   # read as Unix seconds


@host_function("non_agent_api", "hopper_list", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET CAMPAIGN INFO: |{user}|{count}|\n",
                         level=(">", 7)))
def hopper_list(call: NonAgentCall) -> str:
    user, db = call.p["user"], call.db
    campaign = keep(call.p["campaign_id"], "-_0-9a-zA-Z")
    stage, header = call.p["stage"], call.p["header"]
    group = db.value("SELECT user_group FROM vicidial_users WHERE user=? AND vdc_agent_api_access='1' "
                     "AND user_level >= 8", user)
    allowed = _allowed_campaigns(call, group)
    allowed_sql = "" if allowed is None else f" AND upper(h.campaign_id) IN ({', '.join('?' for _ in allowed)})"
    allowed_args = [] if allowed is None else [name.upper() for name in allowed]
    exists = db.value(f"SELECT count(*) FROM vicidial_campaigns h WHERE upper(rtrim(h.campaign_id))=?{allowed_sql}",
                      campaign.rstrip(" ").upper(), *allowed_args)
    if not exists:
        return f"ERROR: hopper_list THIS CAMPAIGN DOES NOT EXIST: |{user}|{campaign}\n"
    leads = hopper_rows(call, "BLOCK" in keep(call.p["search_method"], "-_0-9a-zA-Z"), allowed_sql,
                        [*allowed_args, campaign.rstrip(" ").upper()])
    if not leads:
        return f"ERROR: hopper_list THERE ARE NO LEADS IN THE HOPPER FOR THIS CAMPAIGN: {user}|{campaign}\n"
    server_gmt = _server_gmt(call)
    rows = []
    for order, (hopper, lead) in enumerate(leads):
        lead_id, list_id, gmt, state, alt_dial, priority, source, vendor = hopper
        phone, status, count, phone_code, entry_epoch, last_call_epoch, source_id, rank = lead
        age = int((call.epoch - (entry_epoch or 0)) / 86400)
        values = (order, priority, lead_id, list_id, phone, phone_code, state, status, count, _decimal(gmt), rank,
                  alt_dial, source, vendor, source_id, age, last_call_age(call.epoch, last_call_epoch, gmt, server_gmt))
        rows.append(values)
    return export(stage, header, HEADER, rows)


def hopper_rows(call: NonAgentCall, block: bool, allowed_sql: str, args: list) -> list[tuple[tuple, tuple]]:
    """(hopper columns, lead columns) per READY row, in upstream's order; a missing lead's columns are None
    (its row is dropped by the BLOCK join)."""
    def columns(prefix: str) -> list[str]:
        return [call.db.dialect.epoch(prefix + name) if name in _EPOCHS else prefix + name for name in _LEAD]

    if block:
        rows = call.db.all(_HOPPER.format(lead=", " + ", ".join(columns("l.")),
                                          join=" JOIN vicidial_list l ON l.lead_id=h.lead_id",
                                          allowed=allowed_sql, limit=HOPPER_LIMIT), *args)
        return [(row[:8], row[8:]) for row in rows]
    rows = call.db.all(_HOPPER.format(lead="", join="", allowed=allowed_sql, limit=HOPPER_LIMIT), *args)
    found = []
    for row in rows:
        lead = call.db.one(f"SELECT {', '.join(columns(''))} FROM vicidial_list WHERE lead_id=?", row[0])
        found.append((row, lead or (None,) * len(_LEAD)))
    return found


def last_call_age(now: int, last_call_epoch: Any, gmt: Any, server_gmt: float) -> str:
    """How long ago the lead was last called, as upstream words it (the words padded as its _QXZ pads them)."""
    offset = (float(gmt or 0) - server_gmt) * 3600
    hours = int((now - ((last_call_epoch or 0) + offset)) / 3600)
    if hours < 24:
        return f"{hours} HOURS "
    days = int(hours / 24)
    if days < 365:
        return f"{days} DAYS  "
    years = int(days / 365)
    return f"{years} YEARS " if years < 30 else "NEVER    "


def _allowed_campaigns(call: NonAgentCall, group: str | None) -> tuple[str, ...] | None:
    """The group's allowed campaigns (None: all, upstream's -ALL); a group without a row allows only ''."""
    allowed = call.db.value("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group=?", group or "") or ""
    if "-ALL" in allowed.upper():
        return None
    return tuple(allowed.replace(" -", "").split(" "))


def _server_gmt(call: NonAgentCall) -> float:
    """The active server's GMT offset (one more in daylight saving time), else the machine's."""
    dst = time.localtime(call.epoch).tm_isdst > 0
    gmt = call.db.value("SELECT local_gmt FROM servers WHERE active='Y' LIMIT 1")
    if gmt is not None and str(gmt) != "":
        return float(gmt) + (1 if dst else 0)
    return -time.altzone / 3600 if dst else -time.timezone / 3600


def _decimal(value: Any) -> Any:
    """A DECIMAL(4,2) as MySQL prints it (SQLite hands back a float)."""
    return f"{value:.2f}" if isinstance(value, float) else value

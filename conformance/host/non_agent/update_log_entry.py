"""``update_log_entry``: a new status for a lead's last call in a campaign's or an in-group's log.

Upstream (www/vicidial/non_agent_api.php, update_log_entry block, 2.14-202) asks for Agent API
access, ``modify_leads`` 1 to 4 and user level above 7. Its length check is inverted: it goes on
when group is under 2 characters, call_id under 8 or status under 8, and answers INVALID SEARCH
PARAMETERS only when all three are long enough. A group that is an in-group reads
vicidial_closer_log (the lead's call with the highest closecallid), else a campaign reads
vicidial_log (the lead's latest call_date). call_id's filter removes the dot, so its uniqueid
branch is never taken: the lead is the number in call_id's last 10 characters, read as PHP 8
reads a number (leading digits; none, and PHP dies: HTTP 500 with an empty body). The update
counts as MySQL counts: a status stored as it already is changes no row. The success answer
names the user twice and ends with an empty field (an unset variable).
"""

from __future__ import annotations

import re

from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_EDITORS, Gate
from ..php import PhpFatal
from ..registry import host_function
from ...tables.schema import fit

PARAMS = {"group": "-|_0-9a-zA-Z", "call_id": "0-9a-zA-Z", "status": "-_0-9a-zA-Z"}


@host_function("non_agent_api", "update_log_entry", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO UPDATE LOGS: |{user}|{count}|\n",
                         level=(">", 7), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_EDITORS}))
def update_log_entry(call: NonAgentCall) -> str:
    user, group, call_id, status = (call.p[name] for name in ("user", "group", "call_id", "status"))
    if len(group) >= 2 and len(call_id) >= 8 and len(status) >= 8:
        return f"ERROR: update_log_entry INVALID SEARCH PARAMETERS: {user}|{group}|{call_id}|{status}\n"
    inbound = bool(call.db.value("SELECT count(*) FROM vicidial_inbound_groups WHERE group_id = ?", group))
    if not inbound and not call.db.value("SELECT count(*) FROM vicidial_campaigns WHERE campaign_id = ?", group):
        return f"ERROR: update_log_entry GROUP NOT FOUND: {user}|{group}\n"
    lead_id = php_number(call_id[-10:])
    found = last_call(call, inbound, group, lead_id)
    if found is None:
        return f"ERROR: update_log_entry NO RECORDS FOUND: {user}|{group}|{call_id}|{status}\n"
    old_status, call_key = found
    table = "vicidial_closer_log" if inbound else "vicidial_log"
    if not set_status(call, table, group, call_key, status, old_status):
        return (f"ERROR: update_log_entry NO RECORDS UPDATED: "
                f"{user}|{group}|{call_id}|{status}|{_text(old_status)}|{call_key}\n")
    return (f"SUCCESS: update_log_entry RECORD HAS BEEN UPDATED - "
            f"{user}|{user}|{group}|{call_id}|{status}|{_text(old_status)}|{call_key}|\n")


def php_number(text: str) -> int:
    """``text + 0`` in PHP 8: its leading number (digits, maybe an exponent: "2e3" is 2000); a text
    that starts with none is a TypeError. A number beyond any lead id reads as -1 (no lead)."""
    number = re.match(r"([0-9]+)(?:[eE]([0-9]+))?", text)
    if number is None:
        raise PhpFatal(f"Unsupported operand types: string + int ({text!r})")
    digits, exponent = number.groups()
    if exponent is not None and int(exponent) > 20:
        return -1
    return int(digits) * 10 ** int(exponent or 0)

def last_call(call: NonAgentCall, inbound: bool, group: str, lead_id: int) -> tuple[object, object] | None:
    """(status, closecallid) of the lead's in-group call with the highest closecallid, or (status,
    uniqueid) of its latest campaign call; None when the log has no such call."""
    if inbound:
        return call.db.one("SELECT status, closecallid FROM vicidial_closer_log WHERE campaign_id = ? AND lead_id = ? "
                           "ORDER BY closecallid DESC LIMIT 1", group, lead_id)
    return call.db.one("SELECT status, uniqueid FROM vicidial_log WHERE campaign_id = ? AND lead_id = ? "
                       "ORDER BY call_date DESC LIMIT 1", group, lead_id)


def set_status(call: NonAgentCall, table: str, group: str, call_key: object, status: str, old_status: object) -> int:
    """The rows whose status changed: MySQL counts a row stored as it was (the value cut to the
    column's width, compared byte for byte) as unchanged."""
    stored = fit(table, "status", status)
    if stored == old_status:
        return 0
    key = "closecallid" if table == "vicidial_closer_log" else "uniqueid"
    return call.db.write(f"UPDATE {table} SET status = ? WHERE campaign_id = ? AND {key} = ?", stored, group, call_key)


def _text(value: object) -> str:
    return "" if value is None else str(value)

"""``phone_number_log``: the calls to or from one or more phone numbers, newest first.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) phone_number_log. The API user needs
Agent API access, view reports and a level above 6. phone_number keeps digits and commas; a
value over 3 characters with a comma is split and each part over 3 characters kept (repeats
too), else the whole value is one number. For each number in turn: its outbound calls
(vicidial_log, type OUT, the default for anything but IN, OUT or ALL) then its inbound calls
(vicidial_closer_log, type IN), each by call_date descending, all of them or with detail=LAST
the newest one. Every line shows the lead's status and source_id when the lead exists (with
archived_lead=Y in vicidial_list_archive); otherwise an outbound line shows the call's status
and no source_id, an inbound line neither. The header comes once, before the first call; with
no call at all the answer is a NOTICE.
"""

from __future__ import annotations

from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function
from .list_info import lead_table

PARAMS = {"phone_number": ",0-9", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z", "detail": "A-Z",
          "type": "-_0-9a-zA-Z", "archived_lead": "0-9a-zA-Z", "lead_id": "0-9", "date": "-0-9"}
HEADER = ("phone_number", "call_date", "list_id", "length_in_sec", "lead_status", "hangup_reason", "call_status",
          "source_id", "user")
LOGS = (("OUT", "vicidial_log"), ("IN", "vicidial_closer_log"))
ROW_LIMIT = 100_000


@host_function("non_agent_api", "phone_number_log", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET CALL LOG INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def phone_number_log(call: NonAgentCall) -> str:
    p = {name: keep(call.p[name], chars) for name, chars in PARAMS.items()}   # filtered in either character mode
    user, phone_number = call.p["user"], p["phone_number"]
    numbers = _numbers(phone_number)
    if not numbers:
        return f"ERROR: phone_number_log NO VALID PHONE NUMBERS DEFINED: {user}|{phone_number}|{p['date']}\n"
    limit = 1 if p["detail"] == "LAST" else ROW_LIMIT
    kind = p["type"] if p["type"] in ("IN", "OUT", "ALL") else "OUT"
    calls = []   # (number, inbound, call_date, list_id, lead_id, length_in_sec, status, term_reason, user)
    for number in numbers:
        for direction, table in LOGS:
            if kind in (direction, "ALL"):
                rows = call.db.all("SELECT call_date, list_id, lead_id, length_in_sec, status, term_reason, user "
                                   f"FROM {table} WHERE phone_number = ? ORDER BY call_date DESC LIMIT {limit}", number)
                calls += [(number, direction == "IN", *row) for row in rows]
    if not calls:
        return (f"NOTICE: phone_number_log NO RECORDS FOUND FOR THIS PHONE NUMBER - "
                f"{user}|{phone_number}|{p['lead_id']}|{p['date']}\n")
    leads = lead_table(call, p["archived_lead"])
    separator = delimiter(p["stage"])
    lines = [separator.join(HEADER)] if p["header"] == "YES" else []
    for number, inbound, call_date, list_id, lead_id, length, status, reason, agent in calls:
        lead = call.db.one(f"SELECT status, source_id FROM {leads} WHERE lead_id = ?", lead_id)
        lead_status, source_id = lead if lead is not None else (None if inbound else status, None)
        lines.append(separator.join(_text(value) for value in (number, call_date, list_id, length, lead_status,
                                                               reason, status, source_id, agent)))
    return "".join(line + "\n" for line in lines)


def _numbers(phone_number: str) -> list[str]:
    """The numbers to look up: the parts over 3 characters of a comma list, or the whole value."""
    if len(phone_number) <= 3:
        return []
    if "," not in phone_number:
        return [phone_number]
    return [part for part in phone_number.split(",") if len(part) > 3]


def _text(value) -> str:
    return "" if value is None else str(value)

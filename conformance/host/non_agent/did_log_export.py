"""``did_log_export``: the calls that came in on one DID during one day, oldest first.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) did_log_export. The API user needs
Agent API access, view reports and a level above 6. Both phone_number (1 to 20 characters, the
DID: vicidial_did_log's extension) and date (10 characters, the whole day) are needed; at most
100000 calls, by call_date. Each line's length runs from the DID call to the end of the call's
latest vicidial_closer_log row (by closecallid; none: 0). Upstream fills the call_date column
with the caller id and the caller_id_number column with the date, so each line prints them in
that swapped order under the header's names.
"""

from __future__ import annotations

from ..call_day import day_window
from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function

PARAMS = {"phone_number": ",0-9", "date": "-0-9", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z", "lead_id": "0-9",
          "agent_user": "-_0-9a-zA-Z"}
HEADER = ("did_number", "call_date", "caller_id_number", "length_in_sec")
ROW_LIMIT = 100_000


@host_function("non_agent_api", "did_log_export", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET DID INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def did_log_export(call: NonAgentCall) -> str:
    p, user = call.p, call.p["user"]
    phone_number, date = keep(p["phone_number"], ",0-9"), keep(p["date"], "-0-9")   # filtered in either mode
    if not (0 < len(phone_number) < 21 and len(date) == 10):
        return f"ERROR: did_log_export INVALID SEARCH PARAMETERS: {user}|{phone_number}|{date}\n"
    window = day_window(date)
    epoch = call.db.dialect.epoch("call_date")
    calls = call.db.all(f"SELECT uniqueid, caller_id_number, call_date, {epoch} FROM vicidial_did_log "
                        f"WHERE extension = ? AND call_date >= ? AND call_date <= ? ORDER BY call_date "
                        f"LIMIT {ROW_LIMIT}", phone_number, *window) if window else []
    if not calls:
        return (f"ERROR: did_log_export NO RECORDS FOUND - {user}|{p['agent_user']}|{keep(p['lead_id'], '0-9')}|"
                f"{date}\n")
    separator = delimiter(p["stage"])
    lines = [separator.join(HEADER)] if p["header"] == "YES" else []
    for uniqueid, caller_id_number, call_date, started in calls:
        closer = call.db.one(f"SELECT length_in_sec, {epoch} FROM vicidial_closer_log WHERE uniqueid = ? "
                             "ORDER BY closecallid DESC LIMIT 1", uniqueid)
        length, ended = (int(closer[0] or 0), int(closer[1] or 0)) if closer else (0, int(started or 0))
        lines.append(separator.join((phone_number, _text(caller_id_number), _text(call_date),
                                     str(ended + length - int(started or 0)))))
    return "".join(line + "\n" for line in lines)


def _text(value) -> str:
    return "" if value is None else str(value)

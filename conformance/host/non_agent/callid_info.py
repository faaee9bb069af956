"""``callid_info``: a call found by its caller code (call id), with the customer's talk time.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) callid_info. The API user needs Agent
API access, view reports and a level above 6. call_id keeps letters and digits; it must be 18 to
39 characters and start (case matters) with Y, J, V, M, DC, S, LP, VH or XL. Its row in
vicidial_log_extended (found whatever the letter case) gives the call's uniqueid, date and lead;
Y, J, LP and VH calls are inbound (vicidial_closer_log, same date, uniqueid and lead), V calls
OUTBOUND_AUTO, M calls OUTBOUND_MANUAL and the rest OUTBOUND_OTHER (vicidial_log, same uniqueid
and lead). The customer's time is the agent-log row's talk_sec minus dead_sec (it can go below 0)
for the call's agent, else 0. detail=YES adds the call's date, number, type, campaign, list,
status and agent. The errors after the search name the API user and the agent_user sent.
"""

from __future__ import annotations

import re

from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal, keep
from ..registry import host_function

PARAMS = {"call_id": "0-9a-zA-Z", "agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z",
          "detail": "A-Z"}
CALL_TYPES = re.compile(r"Y|J|V|M|DC|S|LP|VH|XL")
INBOUND = re.compile(r"Y|J|LP|VH")
HEADER = ("call_id", "custtime")
DETAIL_HEADER = ("call_id", "custtime", "call_date", "phone", "call_type", "campaign_id", "list_id", "status", "user")


@host_function("non_agent_api", "callid_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET CALL INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def callid_info(call: NonAgentCall) -> str:
    user, agent_user = call.p["user"], call.p["agent_user"]
    call_id, stage, header, detail = (keep(call.p[name], PARAMS[name]) for name in ("call_id", "stage", "header", "detail"))
    if not (17 < len(call_id) < 40 and CALL_TYPES.match(call_id)):
        return f"ERROR: callid_info INVALID SEARCH PARAMETERS: {user}|{call_id}\n"
    found = call.db.one("SELECT uniqueid, call_date, lead_id FROM vicidial_log_extended WHERE caller_code = ?", call_id)
    if found is None:
        return f"ERROR: callid_info CALL NOT FOUND: {user}|{agent_user}\n"
    uniqueid, call_date, lead_id = found
    if lead_id is None:   # upstream's statement then ends "lead_id=;", which MySQL refuses: PHP dies
        raise PhpFatal("MySQL refused a call look-up without a lead_id")
    call_type, logged = _logged(call, call_id, uniqueid, call_date, lead_id)
    if logged is None:
        return f"ERROR: callid_info CALL LOG NOT FOUND: {user}|{agent_user}\n"
    phone, agent, status, list_id, campaign_id = logged
    times = call.db.one("SELECT talk_sec, dead_sec FROM vicidial_agent_log WHERE uniqueid = ? AND lead_id = ? "
                        "AND user = ?", uniqueid, lead_id, agent)
    customer = int(times[0] or 0) - int(times[1] or 0) if times is not None else 0
    separator = delimiter(stage)
    if detail == "YES":
        columns, values = DETAIL_HEADER, (call_id, customer, call_date, phone, call_type, campaign_id, list_id, status,
                                          agent)
    else:
        columns, values = HEADER, (call_id, customer)
    lines = [separator.join(columns)] if header == "YES" else []
    lines.append(separator.join(_text(value) for value in values))
    return "".join(line + "\n" for line in lines)


def _logged(call: NonAgentCall, call_id: str, uniqueid, call_date, lead_id) -> tuple[str, tuple | None]:
    """The call's type and its log row (number, agent, status, list, campaign), or None."""
    columns = "phone_number, user, status, list_id, campaign_id"
    if INBOUND.match(call_id):
        return "INBOUND", call.db.one(f"SELECT {columns} FROM vicidial_closer_log WHERE call_date = ? AND uniqueid = ? "
                                      "AND lead_id = ?", call_date, uniqueid, lead_id)
    kind = {"V": "OUTBOUND_AUTO", "M": "OUTBOUND_MANUAL"}.get(call_id[0], "OUTBOUND_OTHER")
    return kind, call.db.one(f"SELECT {columns} FROM vicidial_log WHERE uniqueid = ? AND lead_id = ?", uniqueid, lead_id)


def _text(value) -> str:
    return "" if value is None else str(value)

"""``batch_update_lead``: one set of field values written to every lead of a list of lead ids.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) batch_update_lead. The API user needs
Agent API access, modify_leads 1 to 4 and a level above 7. With api_list_restrict, a list_id_field
of 99 or more must be one of the group's allowed lists, and the leads are looked up among those
lists (a group whose campaigns have no list restricts nothing). list_exists_check (a Y in any
case) refuses a list_id_field no vicidial_lists row has. The leads found (newest id first, at most
``records``, default 1000) are updated at once; the answer counts the leads MySQL changed and
those found. With no field to set, nothing is printed. An empty id between commas is an SQL
error upstream: PHP dies (HTTP 500).
"""

from __future__ import annotations

from ..lead_updates import PARAMS as FIELD_PARAMS
from ..lead_updates import UPDATE_GATE, set_list, update_leads
from ..non_agent_api import NonAgentCall
from ..php import PhpFatal, keep
from ..registry import host_function

PARAMS = {"lead_ids": ",0-9", "records": "0-9", "list_exists_check": "0-9a-zA-Z", "reset_lead": "A-Z",
          **FIELD_PARAMS}
_INT_MAX = 2 ** 63 - 1


@host_function("non_agent_api", "batch_update_lead", params=PARAMS, steps=("source", "permission", "gate"),
               gate=UPDATE_GATE,
               list_restricted=True)
def batch_update_lead(call: NonAgentCall) -> str:
    user = call.p["user"]
    lead_ids = keep(call.p["lead_ids"], ",0-9")
    list_id = keep(call.p["list_id_field"], "0-9")
    records = keep(call.p["records"], "0-9") or "1000"
    if not lead_ids:
        return f"ERROR: batch_update_lead NO LEADS DEFINED - {user}|\n"
    if call.list_restricted and list_id and int(list_id) >= 99 and list_id not in call.allowed_lists:
        return f"ERROR: batch_update_lead NOT AN ALLOWED LIST ID - {user}|{list_id}\n"
    if "y" in keep(call.p["list_exists_check"], "0-9a-zA-Z").lower() and list_id:
        if int(call.db.value("SELECT count(*) FROM vicidial_lists WHERE list_id=?", int(list_id)) or 0) < 1:
            return f"ERROR: batch_update_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - {user}|{list_id}\n"
    requested = lead_ids.split(",")
    if "" in requested:   # IN(1,,2) or IN(,): MySQL refuses the statement
        raise PhpFatal(f"SQL syntax error near lead_id IN({lead_ids})")
    found = _found(call, requested, int(records))
    if not found:
        return f"ERROR: batch_update_lead NO MATCHES FOUND IN THE SYSTEM: |{user}|{lead_ids}\n"
    set_sql = set_list(call.p, keep(call.p["reset_lead"], "A-Z"))
    if len(set_sql) <= 6:   # nothing to set: upstream prints nothing
        return ""
    changed = update_leads(call.db, set_sql, found)
    listed = ",".join(str(lead_id) for lead_id in found)
    return f"SUCCESS: batch_update_lead LEADS HAVE BEEN UPDATED - {user}|{changed}|{len(found)}|{listed}\n"


def _found(call: NonAgentCall, requested: list[str], records: int) -> list[int]:
    """The requested leads (in the allowed lists, if any), newest id first, at most ``records``."""
    ids = [int(text) for text in requested if int(text) <= _INT_MAX] or [-1]   # a bigger id matches no lead
    lists = call.allowed_lists if call.list_restricted else ()
    allowed_sql = f" AND list_id IN ({', '.join('?' for _ in lists)})" if lists else ""
    rows = call.db.all(f"SELECT lead_id FROM vicidial_list WHERE lead_id IN ({', '.join('?' for _ in ids)})"
                       f"{allowed_sql} ORDER BY lead_id DESC LIMIT {records}", *ids, *(int(x) for x in lists))
    return [lead_id for (lead_id,) in rows]

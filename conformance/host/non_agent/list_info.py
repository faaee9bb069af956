"""``list_info``: one list's settings, optionally with its lead counts and how many are dialable.

Upstream www/vicidial/non_agent_api.php, list_info block (2.14-202). The dialable count calls
upstream's dialable_leads() (functions.php), whose call-time window depends on the clock; the
host answers its clock-free paths exactly (no campaign or dial statuses: nothing; an inactive or
expired list: 0) and, for an active list, counts the not-yet-called leads in a dial status
without the call-time, lockout and filter conditions (no case relies on that count).
"""

from __future__ import annotations

import datetime as _dt

from ..export import delimiter
from ..group_campaigns import allowed_campaigns, campaign_clause
from ..mysql_text import number
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..registry import host_function

HEADER = ("list_id", "list_name", "campaign_id", "active", "list_changedate", "list_lastcalldate",
          "expiration_date", "resets_today")
# Characters each parameter keeps (latin mode); list_name and campaign_id are only echoed.
PARAMS = {"list_id": "-_0-9a-zA-Z", "leads_counts": "-_0-9a-zA-Z", "dialable_count": "_0-9a-zA-Z",
          "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z", "list_name": r"- +.:/@?&_0-9a-zA-Z",
          "campaign_id": "-_0-9a-zA-Z", "archived_lead": "0-9a-zA-Z"}
LIST_EDITORS = {"vdc_agent_api_access": ("1",), "modify_lists": ("1",)}


@host_function("non_agent_api", "list_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO MODIFY LISTS: |{user}|{count}\n",
                         level=(">=", 8), flags=LIST_EDITORS),
               list_restricted=True)
def list_info(call: NonAgentCall) -> str:
    p, user, list_id = call.p, call.p["user"], call.p["list_id"]
    if not 2 <= len(list_id) <= 14:
        return f"ERROR: list_info YOU MUST USE ALL REQUIRED FIELDS: |{user}|{list_id}|{p['list_name']}|{p['campaign_id']}\n"
    if call.list_restricted and f" {list_id} " not in " " + "".join(f"{known} " for known in call.allowed_lists):
        return f"ERROR: list_info NOT AN ALLOWED LIST ID - {list_id}\n"
    campaigns = allowed_campaigns(call.db, call.user_group)
    clause, args = campaign_clause(campaigns)
    found = call.db.one("SELECT list_name, campaign_id, active, list_changedate, list_lastcalldate, expiration_date, "
                        f"resets_today FROM vicidial_lists WHERE list_id = ?{clause}", number(list_id), *args)
    if found is None:
        return f"ERROR: list_info LIST DOES NOT EXIST: |{user}|{list_id}\n"
    separator = delimiter(p["stage"])
    header, line = list(HEADER), [list_id, *("" if value is None else str(value) for value in found)]
    leads = lead_table(call, p["archived_lead"])
    if p["leads_counts"] == "Y":
        header += ["all_leads_count", "new_leads_count"]
        line.append(str(call.db.value(f"SELECT count(*) FROM {leads} WHERE list_id = ?", number(list_id))))
        line.append(str(call.db.value(f"SELECT count(*) FROM {leads} WHERE list_id = ? AND status = 'NEW'",
                                      number(list_id))))
    dialable = ""
    if p["dialable_count"] == "Y":
        header.append("dialable_count")
        dialable = dialable_count(call, found[1], clause, args, number(list_id))
    text = separator.join(header) + "\n" if p["header"] == "YES" else ""
    return text + separator.join(line) + separator + dialable + "\n"   # the separator comes even with no count


def lead_table(call: NonAgentCall, archived: str) -> str:
    """vicidial_list, or with archived_lead=Y the archive: a table upstream does not create (its
    LEAD_ARCHIVING docs do), so on a host without it the statement fails and PHP dies."""
    if archived != "Y":
        return "vicidial_list"
    if "vicidial_list_archive" not in call.db.table_names():
        raise PhpFatal("Table 'vicidial_list_archive' doesn't exist")
    return "vicidial_list_archive"


def dialable_count(call: NonAgentCall, campaign_id: str, clause: str, args: list, list_id: float) -> str:
    """dialable_leads() for one list, on its clock-free paths (see the module's docstring)."""
    campaign = call.db.one(f"SELECT dial_statuses, call_count_limit FROM vicidial_campaigns WHERE campaign_id = ?{clause}",
                           campaign_id, *args)
    statuses = (campaign[0] or "") if campaign else ""
    if len(statuses) <= 2:
        return ""
    today = _dt.date.fromtimestamp(call.epoch).isoformat()
    live = call.db.value("SELECT count(*) FROM vicidial_lists WHERE list_id = ? AND active = 'Y' "
                         "AND NOT expiration_date < ?", list_id, today)
    if not live:
        return "0"
    wanted = statuses.removesuffix(" -").split(" ")[1:] or [""]
    limit = int(campaign[1] or 0)
    marks = ", ".join("?" for _ in wanted)
    return str(call.db.value(f"SELECT count(*) FROM vicidial_list WHERE called_since_last_reset = 'N' AND list_id = ? "
                             f"AND status IN ({marks})" + (" AND called_count < ?" if limit > 0 else ""),
                             list_id, *wanted, *([limit] if limit > 0 else [])))

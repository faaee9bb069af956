"""``lead_status_search``: every field of the leads called with a status on a day (or of one lead
that has calls), one record after another.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) lead_status_search. The API user needs
Agent API access, modify_leads 1 to 4 and a level above 6. A status with a 10-character date
searches the day's calls with that status, the newest first, up to 1000 of each log; else a
lead_id searches that lead's calls. The outbound log (vicidial_log) is narrowed to the campaigns
of the API user's group (a group without a row: none); for a day's search that narrowing lands
after upstream's LIMIT, so MySQL refuses the statement and PHP dies (HTTP 500). Then the inbound
log (vicidial_closer_log) adds the leads the outbound one did not give. Each lead that exists is
printed (for a list-restricted user only when its list belongs to one of those campaigns), with
custom_fields=Y followed by its row of custom_<entry list, or list>, if that table exists. With
archived_lead=Y each lead is read from vicidial_list_archive (a host without it: PHP dies once a
call is found, since the table is read only then).
Left out: the cf_encrypt module's encrypted and hidden fields (upstream decrypts through aes.pl).
"""

from __future__ import annotations

import re

from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_EDITORS, Gate
from ..php import PhpFatal, keep
from ..registry import host_function
from ..user_group_scope import allowed_campaigns, group_texts, in_clause
from .lead_all_info import COLUMNS
from .list_info import lead_table

PARAMS = {"status": "-_0-9a-zA-Z", "date": "-0-9", "lead_id": "0-9", "custom_fields": "0-9a-zA-Z",
          "archived_lead": "0-9a-zA-Z"}
ROW_LIMIT = 1000


@host_function("non_agent_api", "lead_status_search", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |{user}|{count}|\n",
                         level=(">", 6), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_EDITORS}))
def lead_status_search(call: NonAgentCall) -> str:
    user = call.p["user"]
    status = call.p["status"]
    date, lead_id, custom_fields = (keep(call.p[name], PARAMS[name]) for name in ("date", "lead_id", "custom_fields"))
    by_day = bool(status) and len(date) == 10
    if not by_day and not lead_id:
        return f"ERROR: lead_status_search INVALID SEARCH PARAMETERS: {user}|{status}|{date}|{lead_id}\n"
    campaigns = allowed_campaigns(group_texts(call.db, call.user_group)[0])
    if by_day:
        if campaigns is not None:
            raise PhpFatal("MySQL refused the campaigns after LIMIT")
        search, args = "status = ? AND call_date >= ? AND call_date <= ?", [status, f"{date} 00:00:00", f"{date} 23:59:59"]
        order = f" GROUP BY lead_id ORDER BY MAX(call_date) DESC LIMIT {ROW_LIMIT}"
    else:
        search, args, order = "lead_id = ?", [lead_id], " GROUP BY lead_id"
    scope, scope_args = in_clause("campaign_id", campaigns)
    found = [lead for (lead,) in call.db.all(f"SELECT lead_id FROM vicidial_log WHERE {search}{scope}{order}",
                                             *args, *scope_args)]
    outbound = ["0", *(str(lead) for lead in found)]
    marks = ", ".join("?" for _ in outbound)
    found += [lead for (lead,) in call.db.all(f"SELECT lead_id FROM vicidial_closer_log WHERE lead_id NOT IN ({marks}) "
                                              f"AND {search}{order}", *outbound, *args)]
    restricted = campaigns is not None and int(
        call.db.value("SELECT api_list_restrict FROM vicidial_users WHERE user = ?", user) or 0) > 0
    # the lead table is named only when a call was found (upstream reads it in the loop over them)
    leads = lead_table(call, keep(call.p["archived_lead"], PARAMS["archived_lead"])) if found else ""
    records = []
    for lead in found:
        rows = call.db.select_rows(leads, list(COLUMNS), {"lead_id": lead})
        if not rows or (restricted and not _list_allowed(call, rows[0]["list_id"], campaigns)):
            continue
        fields = [("lead_id", lead), *rows[0].items()]
        if custom_fields == "Y":
            fields += _custom(call, rows[0], lead)
        records.append(f";---------- START OF RECORD {len(records) + 1} ----------\n" +
                       "".join(f"{name} => {_text(value)}\n" for name, value in fields))
    if not records:
        return f"ERROR: lead_status_search NO RESULTS FOUND: {user}|{lead_id}|{status}|\n"
    return "".join(records)


def _list_allowed(call: NonAgentCall, list_id, campaigns: tuple[str, ...]) -> bool:
    scope, args = in_clause("campaign_id", campaigns)
    return bool(call.db.value(f"SELECT count(*) FROM vicidial_lists WHERE list_id = ?{scope}", list_id, *args))


def _custom(call: NonAgentCall, lead: dict, lead_id) -> list[tuple[str, object]]:
    """The lead's row of its entry list's (or list's) custom table, column by column, if any."""
    entry = lead["entry_list_id"]
    table = f"custom_{entry if entry is not None and int(entry) > 99 else lead['list_id']}"
    if table not in call.db.table_names():
        return []
    columns = [name for name in call.db.column_names(table) if name.lower() != "lead_id"]
    rows = call.db.select_rows(table, columns, {"lead_id": lead_id}) if columns else []
    if not rows:
        return []
    return [(name, re.sub(r"\n|\r\n", "!N", _text(value).replace("\t", " -- "))) for name, value in rows[0].items()]


def _text(value) -> str:
    return "" if value is None else str(value)

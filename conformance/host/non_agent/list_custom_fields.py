"""``list_custom_fields``: the custom fields of a list (or of every list the user may see), as
the columns of each list's custom_<list_id> table.

Upstream www/vicidial/non_agent_api.php, list_custom_fields block (2.14-202). The custom fields
switch of system_settings is checked before the permission gate. custom_order sorts one list
kept across the lists of the answer: a list with fewer fields, or none, shows what an earlier
list left in it, and sorting before any list had a table is a PHP 8 TypeError (HTTP 500).
"""

from __future__ import annotations

from ..export import delimiter
from ..group_campaigns import allowed_campaigns, campaign_clause
from ..mysql_text import number
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..registry import host_function
from .list_info import LIST_EDITORS, PARAMS as LIST_INFO_PARAMS

HEADER = ("list_id", "list_name", "campaign_id", "active", "list_changedate", "list_lastcalldate",
          "custom_fields_list_space_delimited")
EVERY_LIST = "---ALL---"
PARAMS = {name: LIST_INFO_PARAMS[name] for name in ("list_id", "stage", "header", "list_name", "campaign_id")}
PARAMS["custom_order"] = "-_0-9a-zA-Z"
# Checked inline: upstream checks the custom fields switch between the allowed functions and this gate.
GATE = Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO MODIFY LISTS: |{user}|{count}\n",
            level=(">=", 8), flags=LIST_EDITORS)


@host_function("non_agent_api", "list_custom_fields", params=PARAMS, steps=("source", "permission"),
               list_restricted=True)
def list_custom_fields(call: NonAgentCall) -> str:
    p, user, list_id = call.p, call.p["user"], call.p["list_id"]
    if int(call.db.value("SELECT custom_fields_enabled FROM system_settings") or 0) < 1:
        return f"ERROR: CUSTOM LIST FIELDS ARE NOT ENABLED ON THIS SYSTEM: |{user}|list_custom_fields|\n"
    refusal = GATE.refuse(call.db, "list_custom_fields", user)
    if refusal is not None:
        return refusal
    if not 2 <= len(list_id) <= 14:
        return (f"ERROR: list_custom_fields YOU MUST USE ALL REQUIRED FIELDS: |{user}|{list_id}|{p['list_name']}|"
                f"{p['campaign_id']}\n")
    if call.list_restricted and list_id != EVERY_LIST \
            and f" {list_id} " not in " " + "".join(f"{known} " for known in call.allowed_lists):
        return f"ERROR: list_custom_fields NOT AN ALLOWED LIST ID - {list_id}\n"
    clause, args = campaign_clause(allowed_campaigns(call.db, call.user_group))
    if list_id == EVERY_LIST:
        if call.list_restricted and call.allowed_lists:
            which, chosen = f"list_id IN ({', '.join('?' for _ in call.allowed_lists)})", list(call.allowed_lists)
        else:   # upstream's allowed-lists SQL is empty: every list
            which, chosen = "list_id > 0", []
    else:
        which, chosen = "list_id = ?", [number(list_id)]
        if not call.db.value(f"SELECT count(*) FROM vicidial_lists WHERE {which}{clause}", *chosen, *args):
            return f"ERROR: list_custom_fields LIST DOES NOT EXIST: |{user}|{list_id}\n"
    lists = call.db.all("SELECT list_id, list_name, campaign_id, active, list_changedate, list_lastcalldate "
                        f"FROM vicidial_lists WHERE {which}{clause} ORDER BY list_id", *chosen, *args)
    separator = delimiter(p["stage"])
    out = [separator.join(HEADER) + "\n"] if p["header"] == "YES" else []
    kept: list[str] | None = None   # upstream's field list, never emptied between lists
    for row in lists:
        labels = [name for name in _columns(call, f"custom_{row[0]}") if name != "lead_id" and name]
        if labels:
            kept = labels + (kept or [])[len(labels):]
        fields = " ".join(labels)
        if p["custom_order"] in ("alpha_up", "alpha_down"):
            if kept is None:
                raise PhpFatal("sort(): Argument #1 ($array) must be of type array, null given")
            kept.sort(reverse=p["custom_order"] == "alpha_down")
            fields = " ".join(kept)
        out.append(separator.join(["" if value is None else str(value) for value in row]) + separator + fields + "\n")
    return "".join(out)


def _columns(call: NonAgentCall, table: str) -> list[str]:
    """The table's columns, or none when the host has no such table."""
    return call.db.column_names(table) if table in call.db.table_names() else []

"""``lead_field_info``: the value of one field of a lead, standard or custom, printed bare.

Upstream www/vicidial/non_agent_api.php, lead_field_info block (2.14-202). The field name goes
into the statement as it is (after its filter): a name that is no column of the table read
makes MySQL refuse the statement and PHP 8 die (HTTP 500). The host takes a column of the
table (any case) or a whole number; MySQL would also evaluate an expression such as
lead_id-1, which the host refuses. With custom_fields=Y, an API user who hides lead data sees
each character of the value as X. Left out: the cf_encrypt module's encrypted and hidden
fields (upstream decrypts through the external script agc/aes.pl).
"""

from __future__ import annotations

import re

from ..group_campaigns import allowed_campaigns, campaign_clause
from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_EDITORS, Gate
from ..php import PhpFatal
from ..registry import host_function
from .list_info import lead_table

PARAMS = {"lead_id": "0-9", "field_name": "-_0-9a-zA-Z", "custom_fields": "0-9a-zA-Z", "list_id": "-_0-9a-zA-Z",
          "archived_lead": "0-9a-zA-Z"}


@host_function("non_agent_api", "lead_field_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |{user}|{count}|\n",
                         level=(">", 6), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_EDITORS}))
def lead_field_info(call: NonAgentCall) -> str:
    p, user, lead_id, name = call.p, call.p["user"], call.p["lead_id"], call.p["field_name"]
    if not (0 < len(lead_id) < 12 and name):
        return f"ERROR: lead_field_info INVALID SEARCH PARAMETERS: {user}|{lead_id}|{name}\n"
    clause, args = campaign_clause(allowed_campaigns(call.db, call.user_group))
    leads = lead_table(call, p["archived_lead"])
    lead = call.db.one(f"SELECT list_id, entry_list_id FROM {leads} WHERE lead_id = ?", int(lead_id))
    if lead is None:
        return f"ERROR: lead_field_info LEAD NOT FOUND: {user}|{lead_id}\n"
    if not call.db.value(f"SELECT count(*) FROM vicidial_lists WHERE list_id = ?{clause}", lead[0], *args):
        return f"ERROR: lead_field_info LIST NOT FOUND: {user}|{lead_id}|{lead[0]}\n"
    hides = False
    table = leads
    if p["custom_fields"] == "Y":
        hides = int(call.db.value("SELECT admin_hide_lead_data FROM vicidial_users WHERE user = ?", user) or 0) > 0
        table = f"custom_{p['list_id'] if len(p['list_id']) > 1 else lead[1]}"
    found = call.db.select_rows(table, [field_column(call, table, name)], {"lead_id": int(lead_id)}) \
        if not name.isdigit() else [{name: int(name)}] * bool(_has_lead(call, table, lead_id))
    if not found:
        return f"ERROR: lead_field_info LIST FIELD NOT FOUND: {user}|{lead_id}\n"
    value = next(iter(found[0].values()))
    text = "" if value is None else str(value)
    return re.sub(".", "X", text) if hides and text else text


def field_column(call: NonAgentCall, table: str, name: str) -> str:
    """The table's column that ``name`` names (MySQL compares column names without regard to case);
    PhpFatal, as MySQL refuses the statement, for a missing table or column."""
    columns = call.db.column_names(table) if table in call.db.table_names() else []
    for column in columns:
        if column.lower() == name.lower():
            return column
    raise PhpFatal(f"Unknown column '{name}' in 'field list'" if columns else f"Table '{table}' doesn't exist")


def _has_lead(call: NonAgentCall, table: str, lead_id: str) -> bool:
    if table not in call.db.table_names():
        raise PhpFatal(f"Table '{table}' doesn't exist")
    return bool(call.db.value(f"SELECT count(*) FROM {table} WHERE lead_id = ?", int(lead_id)))

"""``lead_all_info``: every standard field of a lead (by lead_id, or up to 1000 leads by phone
number, newest first), optionally followed by its custom fields.

Upstream www/vicidial/non_agent_api.php, lead_all_info block (2.14-202). Per lead the header
(header=YES) comes again; a lead whose list is outside the campaigns of the API user's group is
left out, and for a list-restricted user each such lead prints its own LIST NOT FOUND line at
once, before the other leads' lines. Custom fields are the data fields of the entry list (or
force_entry_list_id) by rank and order; an entry list without any makes upstream's statement
empty of columns, so MySQL refuses it and PHP dies (HTTP 500). Left out: the cf_encrypt
module's encrypted and hidden fields (upstream decrypts through the external script aes.pl).
"""

from __future__ import annotations

import re

from ..export import delimiter
from ..group_campaigns import LEADS, allowed_campaigns, campaign_clause
from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_READERS, Gate
from ..php import PhpFatal
from ..registry import host_function
from ...tables.schema import NO_COLUMN_TYPES
from .list_info import lead_table

COLUMNS = ("status", "user", "vendor_lead_code", "source_id", "list_id", "gmt_offset_now", "phone_code",
           "phone_number", "title", "first_name", "middle_initial", "last_name", "address1", "address2", "address3",
           "city", "state", "province", "postal_code", "country_code", "gender", "date_of_birth", "alt_phone",
           "email", "security_phrase", "comments", "called_count", "last_local_call_time", "rank", "owner",
           "entry_list_id")
# Custom field labels upstream never reads from a custom table (the standard ones it prints anyway).
STANDARD_LABELS = ("lead_id", "vendor_lead_code", "source_id", "list_id", "gmt_offset_now", "called_since_last_reset",
                   "phone_code", "phone_number", "title", "first_name", "middle_initial", "last_name", "address1",
                   "address2", "address3", "city", "state", "province", "postal_code", "country_code", "gender",
                   "date_of_birth", "alt_phone", "email", "security_phrase", "comments", "called_count",
                   "last_local_call_time", "rank", "owner")
STAGES = {"newline": "\n"}   # besides csv, tab and pipe
PARAMS = {"lead_id": "0-9", "phone_number": ",0-9", "custom_fields": "0-9a-zA-Z", "force_entry_list_id": "0-9",
          "archived_lead": "0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "lead_all_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |{user}|{count}|\n",
                         level=(">", 6), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_READERS,
                                                "view_reports": ("1",)}))
def lead_all_info(call: NonAgentCall) -> str:
    p, user, lead_id, phone = call.p, call.p["user"], call.p["lead_id"], call.p["phone_number"]
    by_phone = 6 <= len(phone) <= 19
    if not lead_id and not by_phone:
        return f"ERROR: lead_all_info LEAD NOT FOUND: {user}|{lead_id}|{phone}\n"
    clause, args = campaign_clause(allowed_campaigns(call.db, call.user_group, LEADS))
    separator = STAGES.get(p["stage"]) or delimiter(p["stage"])
    leads = lead_table(call, p["archived_lead"])
    where, value = ("lead_id = ?", int(lead_id)) if lead_id else ("phone_number = ?", phone)
    found = call.db.all(f"SELECT list_id, entry_list_id, lead_id FROM {leads} WHERE {where} "
                        "ORDER BY lead_id DESC LIMIT 1000", value)
    restricted = int(call.db.value("SELECT api_list_restrict FROM vicidial_users WHERE user = ?", user) or 0) > 0
    printed, output, outside = [], [], None
    for list_id, entry_list_id, one_lead in found:
        if not call.db.value(f"SELECT count(*) FROM vicidial_lists WHERE list_id = ?{clause}", list_id, *args):
            outside = list_id
            if restricted:
                printed.append(f"ERROR: lead_all_info LIST NOT FOUND: {user}|{lead_id}|{phone}\n")
            continue
        labels, values = [], []
        if p["custom_fields"] == "Y":
            entry = p["force_entry_list_id"] or entry_list_id
            labels, values = _custom(call, entry, one_lead, "".join(printed))
        if p["header"] == "YES":
            output.append(separator.join((*COLUMNS, "lead_id", *labels)) + "\n")
        row = call.db.select_rows(leads, list(COLUMNS), {"lead_id": one_lead})[0]
        line = ["" if row[column] is None else str(row[column]) for column in COLUMNS]
        output.append(separator.join((*line, str(one_lead), *values)) + "\n")
    if not found:
        return f"ERROR: lead_all_info LEAD NOT FOUND: {user}|{lead_id}|{phone}\n"
    text = "".join(output)
    if len(text) > 10:
        return "".join(printed) + text
    if outside is not None:
        printed.append(f"ERROR: lead_all_info LIST NOT FOUND: {user}|{lead_id}|{phone}|{outside}\n")
    return "".join(printed)


def _custom(call: NonAgentCall, entry, lead_id: int, printed: str) -> tuple[list[str], list[str]]:
    """The entry list's custom field labels and this lead's values (none without a row)."""
    hides = int(call.db.value("SELECT admin_hide_lead_data FROM vicidial_users WHERE user = ?", call.p["user"]) or 0)
    types, standard = (", ".join("?" for _ in names) for names in (NO_COLUMN_TYPES, STANDARD_LABELS))
    labels = [label for (label,) in call.db.all(
        f"SELECT field_label FROM vicidial_lists_fields WHERE list_id = ? AND field_type NOT IN ({types}) "
        f"AND field_label NOT IN ({standard}) ORDER BY field_rank, field_order",
        entry, *NO_COLUMN_TYPES, *STANDARD_LABELS)]
    table = f"custom_{entry}"
    columns = {name.lower(): name for name in call.db.column_names(table)} if table in call.db.table_names() else {}
    if not labels or not columns or any(label.lower() not in columns for label in labels):
        fatal = PhpFatal(f"MySQL refused SELECT {','.join(labels)} from {table}")
        fatal.printed = printed
        raise fatal
    rows = call.db.select_rows(table, [columns[label.lower()] for label in labels], {"lead_id": lead_id})
    if not rows:
        return [], []
    values = ["" if value is None else str(value) for value in rows[0].values()]
    return labels, [re.sub(".", "X", value) if hides and value else value for value in values]

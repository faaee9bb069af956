"""``ccc_lead_info``: the lead of a recent call, found by its caller code (cross-cluster calls).

Follows upstream www/vicidial/non_agent_api.php (2.14-202) ccc_lead_info. The API user needs Agent
API access, view reports and a level above 6. call_id is checked as callid_info checks it (18 to
39 letters and digits, a known type letter first); its row must be less than ten hours old by the
host's clock: in vicidial_dial_log for DC... codes, else in vicidial_log_extended. Its lead's 30
fields follow, delimited by stage (csv, tab, newline or pipe). A list-restricted API user whose
group's allowed campaigns lack ALL-CAMPAIGNS sees only leads of those campaigns' lists; another
lead (or a group without a row) is LEAD NOT FOUND with the user and a count of 1, where a
missing lead names the user and the agent_user sent.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..export import DELIMITERS
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal, keep
from ..registry import host_function
from .callid_info import CALL_TYPES

PARAMS = {"call_id": "0-9a-zA-Z", "agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}
COLUMNS = ("status", "user", "vendor_lead_code", "source_id", "list_id", "gmt_offset_now", "phone_code",
           "phone_number", "title", "first_name", "middle_initial", "last_name", "address1", "address2", "address3",
           "city", "state", "province", "postal_code", "country_code", "gender", "date_of_birth", "alt_phone",
           "email", "security_phrase", "comments", "called_count", "last_local_call_time", "rank", "owner")
STAGES = {**DELIMITERS, "newline": "\n"}
RECENT = 10 * 3600   # seconds a call stays findable


@host_function("non_agent_api", "ccc_lead_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def ccc_lead_info(call: NonAgentCall) -> str:
    user, agent_user = call.p["user"], call.p["agent_user"]
    call_id, stage, header = (keep(call.p[name], PARAMS[name]) for name in ("call_id", "stage", "header"))
    if not (17 < len(call_id) < 40 and CALL_TYPES.match(call_id)):
        return f"ERROR: ccc_lead_info INVALID SEARCH PARAMETERS: {user}|{call_id}\n"
    since = _dt.datetime.fromtimestamp(call.epoch - RECENT).strftime("%Y-%m-%d %H:%M:%S")
    log = "vicidial_dial_log" if call_id.startswith("DC") else "vicidial_log_extended"
    found = call.db.one(f"SELECT lead_id FROM {log} WHERE caller_code = ? AND call_date > ?", call_id, since)
    if found is None:
        return f"ERROR: ccc_lead_info CALL NOT FOUND: {user}|{agent_user}\n"
    if found[0] is None:   # upstream's statement then ends "lead_id=;", which MySQL refuses: PHP dies
        raise PhpFatal("MySQL refused a lead look-up without a lead_id")
    leads = call.db.select_rows("vicidial_list", list(COLUMNS), {"lead_id": found[0]})
    if not leads:
        return f"ERROR: ccc_lead_info LEAD NOT FOUND: {user}|{agent_user}\n"
    lead = leads[0]
    if not _list_allowed(call, lead["list_id"]):
        return f"ERROR: ccc_lead_info LEAD NOT FOUND: |{user}|1|\n"
    separator = STAGES.get(stage, "|")
    lines = [separator.join(COLUMNS)] if header == "YES" else []
    lines.append(separator.join("" if lead[column] is None else str(lead[column]) for column in COLUMNS))
    return "".join(line + "\n" for line in lines)


def _list_allowed(call: NonAgentCall, list_id) -> bool:
    """Whether a list-restricted API user's group allows the lead's list (anyone else: always)."""
    restricted = int(call.db.value("SELECT api_list_restrict FROM vicidial_users WHERE user = ?", call.p["user"]) or 0)
    row = call.db.one("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group = ?", call.user_group)
    allowed = (row[0] if row else None) or ""
    if restricted < 1 or re.search("ALL-CAMPAIGNS", allowed, re.IGNORECASE):
        return True
    campaigns = re.split(r"\s", re.sub(r"\s-", "", allowed))   # " A B -": '', 'A', 'B', as upstream's IN('','A','B')
    marks = ", ".join("?" for _ in campaigns)
    return bool(call.db.value(f"SELECT count(*) FROM vicidial_lists WHERE list_id = ? AND campaign_id IN ({marks})",
                              list_id, *campaigns))

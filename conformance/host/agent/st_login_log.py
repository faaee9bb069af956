"""``st_login_log``: a CRM names its agent by vicidial_users.custom_three; the first such user (by
user) gets the CRM's team id (vendor_id) in custom_four, and is named in the answer."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall, SqlError
from ..mysql_text import single_literal
from ..php import PhpArray, remove
from ..registry import host_function

# vendor_id: upstream removes ; and # and turns + into a space, nothing else (filtered in the check).
PARAMS = {"value": AGENT_FILTERS["value"], "vendor_id": None}


def crm_request(function: str):
    """The check st_login_log and st_get_agent_active_lead open with: a CRM agent id (value) and a
    team id (vendor_id), both echoed when either is missing."""
    def check(call: AgentCall) -> bool:
        p = call.p
        vendor_id = remove(p["vendor_id"], ";#")
        p["vendor_id"] = vendor_id if isinstance(vendor_id, PhpArray) else vendor_id.replace("+", " ")
        if len(p["value"]) >= 1 and len(p["vendor_id"]) >= 1:
            return True
        call.say(f"ERROR: {function} not valid - {p['value']}|{p['vendor_id']}\n")
        return False
    return check


def crm_user(call: AgentCall) -> str | None:
    """The first user (by user) whose custom_three is the value; None (and the error said) if none."""
    value = call.p["value"]
    call.trace(f"select count(*) from vicidial_users where custom_three='{value}';")
    found = call.db.one("SELECT user FROM vicidial_users WHERE custom_three=? ORDER BY user", value)
    if found is None:
        call.say(f"ERROR: no user found - {value}\n")
        return None
    call.trace(f"select user from vicidial_users where custom_three='{value}' order by user;")
    return str(found[0])


@host_function("agent_api", "st_login_log", params=PARAMS, steps=("permission",),
               check=crm_request("st_login_log"))
def st_login_log(call: AgentCall) -> None:
    user = crm_user(call)
    if user is None:
        return
    vendor_id = call.p["vendor_id"]
    statement = f"UPDATE vicidial_users set custom_four='{vendor_id}' where user='{user}';"
    call.comment(statement)
    stored = single_literal(f"'{vendor_id}'")   # pasted between quotes, unescaped, as upstream
    if stored is None:
        raise SqlError(statement)
    call.db.write("UPDATE vicidial_users SET custom_four=? WHERE user=?",
                  fit("vicidial_users", "custom_four", stored), user)
    call.say(f"SUCCESS: st_login_log user found - {user}\n")

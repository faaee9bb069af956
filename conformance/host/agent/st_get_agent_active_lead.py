"""``st_get_agent_active_lead``: the lead a CRM's agent (vicidial_users.custom_three) is on: the
phone number, lead id and the CRM fields vendor_lead_code, province, security_phrase, source_id."""

from __future__ import annotations

from ..agent_api import AgentCall
from ..registry import host_function
from .st_login_log import PARAMS, crm_request, crm_user

_LEAD_FIELDS = ("phone_number", "vendor_lead_code", "province", "security_phrase", "source_id")


@host_function("agent_api", "st_get_agent_active_lead", params=PARAMS, steps=("permission",),
               check=crm_request("st_get_agent_active_lead"))
def st_get_agent_active_lead(call: AgentCall) -> None:
    user = crm_user(call)
    if user is None:
        return
    call.trace(f"select count(*) from vicidial_live_agents where user='{user}';")
    live = call.db.one("SELECT lead_id FROM vicidial_live_agents WHERE user=?", user)
    if live is None:
        call.say(f"ERROR: user not logged in - {user}\n")
        return
    call.trace(f"select lead_id from vicidial_live_agents where user='{user}';")
    lead_id = int(live[0] or 0)
    if lead_id <= 0:
        call.say(f"ERROR: no active lead found - {user}\n")
        return
    call.trace(f"select {','.join(_LEAD_FIELDS)} from vicidial_list where lead_id='{lead_id}';")
    # A lead id no lead has: every field prints empty, and the answer is still a success.
    row = call.db.one(f"SELECT {', '.join(_LEAD_FIELDS)} FROM vicidial_list WHERE lead_id=?", lead_id)
    phone, vendor_lead_code, province, phrase, source_id = ("" if field is None else str(field)
                                                            for field in (row or (None,) * 5))
    call.say(f"SUCCESS: st_get_agent_active_lead lead found - "
             f"{user}|{phone}|{lead_id}|{vendor_lead_code}|{province}|{phrase}|{source_id}\n")

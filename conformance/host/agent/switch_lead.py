"""``switch_lead``: on a live inbound call, ask the agent screen to switch to another lead
(external_lead_id), found by lead_id or by vendor_lead_code."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AgentCall, SqlError
from ..mysql_text import single_literal
from ..php import keep, remove
from ..registry import host_function

# lead_id keeps digits in both modes; vendor_lead_code loses only ; and # (see free_text).
PARAMS = {**AGENT_FILTERS, "lead_id": "0-9", "vendor_lead_code": None}
SEARCHES = ("LIVE_CALL_INBOUND", "LIVE_CALL_INBOUND_AND_MANUAL")


def free_text(value: str) -> str:
    """The filter of upstream's free-text lead fields (vendor_lead_code, source_id, comments):
    ; and # go, and a + that survived the URL decoding becomes a space."""
    return remove(value, ";#").replace("+", " ")


def _lead_id(call: AgentCall) -> str:
    return keep(call.p["lead_id"], "0-9")


def _valid(call: AgentCall) -> bool:
    lead_id, vendor_lead_code = _lead_id(call), free_text(call.p["vendor_lead_code"])
    agent_user, alt_user = call.p["agent_user"], call.p["alt_user"]
    no_lead = (len(lead_id) < 1 or int(lead_id) < 1) and len(vendor_lead_code) < 1
    if no_lead or (len(agent_user) < 1 and len(alt_user) < 2):
        call.say(f"ERROR: switch_lead not valid - {lead_id}|{vendor_lead_code}|{agent_user}\n")
        return False
    # The permission refusal echoes lead_id where other functions echo value.
    allowed = call.allowed_functions
    if " switch_lead " not in allowed and "ALL_FUNCTIONS" not in allowed:
        call.say(f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
                 f"{lead_id}|{call.p['user']}|switch_lead|{call.user_group}\n")
        call.exit()
        return False
    return True


@host_function("agent_api", "switch_lead", params=PARAMS, steps=("alt_user", "logged_in"), check=_valid)
def switch_lead(call: AgentCall) -> None:
    agent_user = call.p["agent_user"]
    lead_id, vendor_lead_code = _lead_id(call), free_text(call.p["vendor_lead_code"])
    call.trace(f"select lead_id,callerid,campaign_id from vicidial_live_agents where user='{agent_user}';")
    current_lead_id, callerid, campaign_id = call.db.one(
        "SELECT lead_id, callerid, campaign_id FROM vicidial_live_agents WHERE user=?", agent_user)
    callerid, campaign_id = callerid or "", campaign_id or ""
    if not (int(current_lead_id or 0) > 0 and len(callerid) > 15):
        call.say(f"ERROR: agent_user does not have a live call - {agent_user}\n")
        return
    if not callerid.startswith("Y"):
        call.say(f"ERROR: agent call is not inbound - {agent_user}|{callerid}")   # no newline upstream
        return
    call.trace(f"SELECT agent_lead_search from vicidial_campaigns where campaign_id='{campaign_id}';")
    campaign = call.db.one("SELECT agent_lead_search FROM vicidial_campaigns WHERE campaign_id=?", campaign_id)
    if campaign is None:
        call.say(f"ERROR: campaign not found - {agent_user}|{campaign_id}\n")
        return
    if campaign[0] not in SEARCHES:
        call.say(f"ERROR: campaign does not allow inbound lead search - {agent_user}|{campaign_id}\n")
        return
    # vendor_lead_code wins over lead_id; of several leads with the code, the newest.
    search = (f"vendor_lead_code='{vendor_lead_code}' order by lead_id desc limit 1" if vendor_lead_code
              else f"lead_id='{lead_id}'")
    call.trace(f"SELECT lead_id,vendor_lead_code from vicidial_list where {search};")
    if vendor_lead_code:
        searched = single_literal(f"'{vendor_lead_code}'")   # pasted between quotes, unescaped
        if searched is None:
            raise SqlError(vendor_lead_code)
        found = call.db.one("SELECT lead_id, vendor_lead_code FROM vicidial_list WHERE vendor_lead_code=? "
                            "ORDER BY lead_id DESC LIMIT 1", searched)
    else:
        found = call.db.one("SELECT lead_id, vendor_lead_code FROM vicidial_list WHERE lead_id=?", int(lead_id))
    if found is None:
        call.say(f"ERROR: switch-to lead not found - {agent_user}|{lead_id}|{vendor_lead_code}\n")
        return
    new_lead_id, new_vendor_lead_code = found
    call.signal("external_lead_id", str(new_lead_id))
    call.say(f"SUCCESS: switch_lead function set - {agent_user}|{new_lead_id}|{new_vendor_lead_code or ''}|"
             f"{campaign_id}|{current_lead_id}|\n")

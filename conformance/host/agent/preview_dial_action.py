"""``preview_dial_action``: store an action on the previewed lead (external_dial) for the agent screen."""

from __future__ import annotations

import re

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall
from ..registry import host_function

ACTIONS = ("SKIP", "DIALONLY", "ALTDIAL", "ADR3DIAL", "FINISH")
ALT_ACTIONS = ("ALTDIAL", "ADR3DIAL", "FINISH")


def _valid(call: AgentCall) -> bool:
    # Capitals and digits only, after the common filter; the permission answer echoes this value too.
    value = call.p["value"] = re.sub(r"[^A-Z0-9]", "", call.p["value"])
    agent_user, alt_user = call.p["agent_user"], call.p["alt_user"]
    if value in ACTIONS and (len(agent_user) >= 2 or len(alt_user) >= 2):
        return True
    call.say(f"ERROR: preview_dial_action not valid - {value}||{agent_user}|{alt_user}\n")
    return False


def _campaign_refusal(call: AgentCall, agent_user: str, value: str) -> str | None:
    campaign_id, _status = call.db.one("SELECT campaign_id, status FROM vicidial_live_agents WHERE user=?", agent_user)
    # A campaign without a row sets nothing, so none of its rules apply.
    campaign = call.db.one("SELECT manual_preview_dial, alt_number_dialing FROM vicidial_campaigns "
                           "WHERE campaign_id=?", campaign_id) or (None, None)
    preview, alt_numbers = campaign
    if preview == "DISABLED":
        return f"preview dialing not allowed on this campaign - {agent_user}|{campaign_id}|{preview}"
    if preview == "PREVIEW_ONLY" and value == "SKIP":
        return f"preview dial skipping not allowed on this campaign - {agent_user}|{campaign_id}|{preview}"
    if alt_numbers == "N" and value in ALT_ACTIONS:
        return f"alt number dialing not allowed on this campaign - {agent_user}|{campaign_id}|{alt_numbers}"
    return None


@host_function("agent_api", "preview_dial_action", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def preview_dial_action(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    refusal = _campaign_refusal(call, agent_user, value)
    if refusal is not None:
        call.say(f"ERROR: {refusal}\n")
        return call.exit()
    call.trace(f"select count(*) from vicidial_live_agents where user='{agent_user}' and status='PAUSED';")
    if call.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=? AND status='PAUSED'", agent_user) < 1:
        call.say(f"ERROR: agent_user is not paused - {agent_user}\n")
        return
    call.trace(f"select count(*) from vicidial_users where user='{agent_user}' and agentcall_manual='1';")
    if call.db.value("SELECT count(*) FROM vicidial_users WHERE user=? AND agentcall_manual='1'", agent_user) < 1:
        call.say(f"ERROR: agent_user is not allowed to place manual dial calls - {agent_user}\n")
        return
    call.signal("external_dial", value)
    call.comment(f"UPDATE vicidial_live_agents set external_dial='{value}' where user='{agent_user}';")   # twice
    call.say(f"SUCCESS: preview_dial_action function set - {value}|{agent_user}|{value}\n")

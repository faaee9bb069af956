"""``park_call``: store a park or grab command (external_park) for the agent screen to carry out."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function

# Upstream looks for a command anywhere in the value, so longer commands that hold one pass too.
COMMANDS = ("PARK_CUSTOMER", "GRAB_CUSTOMER", "PARK_IVR_CUSTOMER", "GRAB_IVR_CUSTOMER", "PARK_XFER", "GRAB_XFER")
_valid = value_check("park_call", lambda value: any(command in value for command in COMMANDS))


@host_function("agent_api", "park_call", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def park_call(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.trace(f"select lead_id from vicidial_live_agents where user='{agent_user}';")
    lead_id = call.db.value("SELECT lead_id FROM vicidial_live_agents WHERE user=?", agent_user)
    if not lead_id or int(lead_id) <= 0:
        call.say(f"ERROR: agent_user does not have a lead on their screen - {agent_user}\n")
        return
    call.signal("external_park", value)
    call.say(f"SUCCESS: park_call function set - {value}|{agent_user}\n")

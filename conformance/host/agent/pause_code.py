"""``pause_code``: set the code of a paused agent's current pause (external_pause_code)."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


# The code is 1 to 6 bytes after filtering.
_valid = value_check("pause_code", lambda value: 1 <= len(value) <= 6)


@host_function("agent_api", "pause_code", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def pause_code(call: AgentCall) -> None:
    agent_user, value = call.p["agent_user"], call.p["value"]
    call.trace(f"select status from vicidial_live_agents where user='{agent_user}' and status='PAUSED';")
    if call.db.one("SELECT status FROM vicidial_live_agents WHERE user=? AND status='PAUSED'", agent_user) is None:
        call.say(f"ERROR: pause_code error - agent is not paused - {agent_user}\n")
        return
    call.signal("external_pause_code", value)
    call.say(f"SUCCESS: pause_code function sent - {agent_user}\n")

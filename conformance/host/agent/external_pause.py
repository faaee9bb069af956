"""``external_pause``: store PAUSE or RESUME with the moment it was sent (external_pause) for the agent screen."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


# One character of alt_user is enough here, unlike pause_code.
_valid = value_check("external_pause", lambda value: "PAUSE" in value or "RESUME" in value, alt_user_min=1)


@host_function("agent_api", "external_pause", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def external_pause(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    if "RESUME" in value:
        call.trace(f"select count(*) from vicidial_live_agents where user='{agent_user}' and "
                   "status IN('READY','QUEUE','INCALL','CLOSER');")
    if "RESUME" in value and call.db.value(
            "SELECT count(*) FROM vicidial_live_agents WHERE user=? AND status IN ('READY','QUEUE','INCALL','CLOSER')",
            agent_user) > 0:
        call.say(f"ERROR: external_pause agent is not paused - {value}|{agent_user}\n")
        return call.exit()
    call.signal("external_pause", f"{value}!{call.epoch}")
    call.say(f"SUCCESS: external_pause function set - {value}|{call.epoch}|{agent_user}\n")

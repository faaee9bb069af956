"""``pause_code``: set the code of a paused agent's current pause (external_pause_code)."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    if len(value) < 1 or len(value) > 6 or (len(agent_user) < 1 and len(alt_user) < 2):
        call.say(f"ERROR: pause_code not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "pause_code", params=AGENT_FILTERS, steps=("permission", "alt_user", "logged_in"),
               check=_valid)
def pause_code(call: AgentCall) -> None:
    agent_user, value = call.p["agent_user"], call.p["value"]
    if call.db.one("SELECT status FROM vicidial_live_agents WHERE user=? AND status='PAUSED'", agent_user) is None:
        call.say(f"ERROR: pause_code error - agent is not paused - {agent_user}\n")
        return
    call.db.write("UPDATE vicidial_live_agents SET external_pause_code=? WHERE user=?",
                  fit("vicidial_live_agents", "external_pause_code", value), agent_user)
    call.say(f"SUCCESS: pause_code function sent - {agent_user}\n")

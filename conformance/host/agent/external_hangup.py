"""``external_hangup``: store the hang-up signal (external_hangup) for the agent screen to end the customer call."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    # Any value will do (the docs name only 1); alt_user stands in with two characters or more.
    if len(value) < 1 or (len(agent_user) < 1 and len(alt_user) < 2):
        call.say(f"ERROR: external_hangup not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "external_hangup", params=AGENT_FILTERS, steps=("permission", "alt_user", "logged_in"),
               check=_valid)
def external_hangup(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    # The column holds one character; the answer echoes the whole value.
    call.db.write("UPDATE vicidial_live_agents SET external_hangup=? WHERE user=?",
                  fit("vicidial_live_agents", "external_hangup", value), agent_user)
    call.say(f"SUCCESS: external_hangup function set - {value}|{agent_user}\n")

"""``logout``: store the LOGOUT signal (in external_pause) for the agent screen."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    if len(value) < 1 or (len(agent_user) < 1 and len(alt_user) < 1) or "LOGOUT" not in value:
        call.say(f"ERROR: logout not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "logout", params=AGENT_FILTERS, steps=("permission", "alt_user", "logged_in"),
               check=_valid)
def logout(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.db.write("UPDATE vicidial_live_agents SET external_pause=? WHERE user=?",
                  fit("vicidial_live_agents", "external_pause", value), agent_user)
    call.say(f"SUCCESS: logout function set - {value}|{call.epoch}|{agent_user}\n")

"""``send_dtmf``: store DTMF digits (external_dtmf) for the agent screen to play into the session."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    # Any non-empty value passes: the digits are not checked, and # and * never survive the filter.
    if len(value) < 1 or (len(agent_user) < 1 and len(alt_user) < 2):
        call.say(f"ERROR: send_dtmf not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "send_dtmf", params=AGENT_FILTERS, steps=("permission", "alt_user", "logged_in"),
               check=_valid)
def send_dtmf(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.db.write("UPDATE vicidial_live_agents SET external_dtmf=? WHERE user=?",
                  fit("vicidial_live_agents", "external_dtmf", value), agent_user)
    call.say(f"SUCCESS: send_dtmf function set - {value}|{agent_user}\n")

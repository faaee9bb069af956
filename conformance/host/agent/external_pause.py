"""``external_pause``: store PAUSE or RESUME with the moment it was sent (external_pause) for the agent screen."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    # One character of alt_user is enough here, unlike pause_code and recording.
    if len(value) < 1 or (len(agent_user) < 1 and len(alt_user) < 1) or \
            ("PAUSE" not in value and "RESUME" not in value):
        call.say(f"ERROR: external_pause not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "external_pause", params=AGENT_FILTERS, steps=("permission", "alt_user", "logged_in"),
               check=_valid)
def external_pause(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    if "RESUME" in value and call.db.value(
            "SELECT count(*) FROM vicidial_live_agents WHERE user=? AND status IN ('READY','QUEUE','INCALL','CLOSER')",
            agent_user) > 0:
        call.say(f"ERROR: external_pause agent is not paused - {value}|{agent_user}\n")
        return
    call.db.write("UPDATE vicidial_live_agents SET external_pause=? WHERE user=?",
                  fit("vicidial_live_agents", "external_pause", f"{value}!{call.epoch}"), agent_user)
    call.say(f"SUCCESS: external_pause function set - {value}|{call.epoch}|{agent_user}\n")

"""``logout``: store the LOGOUT signal (in external_pause) for the agent screen."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


# One character of alt_user is enough here.
_valid = value_check("logout", lambda value: "LOGOUT" in value, alt_user_min=1)


@host_function("agent_api", "logout", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def logout(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.signal("external_pause", value)
    call.say(f"SUCCESS: logout function set - {value}|{call.epoch}|{agent_user}\n")

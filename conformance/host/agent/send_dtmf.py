"""``send_dtmf``: store DTMF digits (external_dtmf) for the agent screen to play into the session."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


# The digits are not checked, and # and * never survive the filter.
_valid = value_check("send_dtmf", lambda value: len(value) >= 1)


@host_function("agent_api", "send_dtmf", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def send_dtmf(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.signal("external_dtmf", value)
    call.say(f"SUCCESS: send_dtmf function set - {value}|{agent_user}\n")

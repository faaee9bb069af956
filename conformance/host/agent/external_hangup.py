"""``external_hangup``: store the hang-up signal (external_hangup) for the agent screen to end the customer call."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


# Any value will do (the docs name only 1).
_valid = value_check("external_hangup", lambda value: len(value) >= 1)


@host_function("agent_api", "external_hangup", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def external_hangup(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    # The column holds one character; the answer echoes the whole value.
    call.signal("external_hangup", value)
    call.say(f"SUCCESS: external_hangup function set - {value}|{agent_user}\n")

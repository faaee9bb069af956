"""``set_timer_action``: store a timed screen action, its message and its second for the agent screen."""

from __future__ import annotations

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..php import keep
from ..registry import host_function

# Upstream turns + into a space, then keeps these; keeping + and turning it afterwards is the same.
PARAMS = {**AGENT_FILTERS, "notes": "- +._0-9a-zA-Z", "rank": "0-9"}
MEDIUMINT_MAX = 8_388_607


def _valid(call: AgentCall) -> bool:
    agent_user, value = call.p["agent_user"], call.p["value"]
    # No alt_user here: agent_user itself is needed, and two characters of value.
    if len(agent_user) < 1 or len(value) < 2:
        call.say(f"ERROR: set_timer_action not valid - {agent_user}|{value}\n")
        return False
    return True


def _seconds(rank: str) -> int:
    """What MySQL's non-strict mode stores of the digits in a MEDIUMINT: nothing is 0, too many the maximum."""
    return min(int(rank), MEDIUMINT_MAX) if rank else 0


@host_function("agent_api", "set_timer_action", params=PARAMS, steps=("permission", "logged_in"), check=_valid)
def set_timer_action(call: AgentCall) -> None:
    user, agent_user, value = call.p["user"], call.p["agent_user"], call.p["value"]
    rank = keep(call.p["rank"], "0-9")  # digits only in non-latin mode too, where letters of any script pass
    notes = call.p["notes"].replace("+", " ")
    # The API user, not the agent, must be allowed to modify campaigns.
    call.trace(f"select count(*) from vicidial_users where user='{user}' and modify_campaigns='1';")
    if call.db.value("SELECT count(*) FROM vicidial_users WHERE user=? AND modify_campaigns='1'", user) < 1:
        call.say(f"ERROR: user is not allowed to modify campaign settings - {agent_user}|{user}\n")
        return
    call.comment(f"UPDATE vicidial_live_agents set external_timer_action='{value}',external_timer_action_message="
                 f"'{notes}',external_timer_action_seconds='{rank}' where user='{agent_user}';")
    call.db.write("UPDATE vicidial_live_agents SET external_timer_action=?, external_timer_action_message=?, "
                  "external_timer_action_seconds=? WHERE user=?",
                  fit("vicidial_live_agents", "external_timer_action", value),
                  fit("vicidial_live_agents", "external_timer_action_message", notes), _seconds(rank), agent_user)
    call.say(f"SUCCESS: set_timer_action lead updated - {user}|{agent_user}|{value}|{notes}|{rank}\n")

"""``force_fronter_leave_3way``: tell the fronter still in a 3-way call with the closer's customer
to leave it (a signal in the fronter's vicidial_live_agents row, external_transferconf, which the
fronter's agent screen acts on).

Follows upstream www/agc/api.php (2.14-82), force_fronter_leave_3way block; what it shares with
force_fronter_audio_stop (the call's lead, the fronter, the CCC fallback) is ``host/fronter_call.py``.
"""

from __future__ import annotations

from ..agent_api import AgentCall
from ..fronter_call import PARAMS, call_lead, fronter_check, live_fronter, over_ccc
from ..registry import host_function

FUNCTION = "force_fronter_leave_3way"


@host_function("agent_api", FUNCTION, params=PARAMS, steps=("permission", "alt_user"), check=fronter_check(FUNCTION))
def force_fronter_leave_3way(call: AgentCall) -> None:
    lead_id = call_lead(call)
    if lead_id is None:
        return
    fronter = live_fronter(call, lead_id)
    if fronter is not None:
        _signal(call, fronter)
        call.say(f"SUCCESS: {FUNCTION} SENT - {fronter}")   # upstream ends this answer with no newline
        return
    if call.p["value"] == "LOCAL_AND_CCC" and over_ccc(call, FUNCTION, lead_id):
        return
    call.say(f"ERROR: no fronter found - {call.p['agent_user']}\n")


def _signal(call: AgentCall, fronter: str) -> None:
    """The order the fronter's agent screen acts on: leave the 3-way call, stamped with the epoch."""
    call.db.write("UPDATE vicidial_live_agents SET external_transferconf=? WHERE user=?",
                  f"LEAVE_3WAY_CALL---------NO------------{call.epoch}", fronter)

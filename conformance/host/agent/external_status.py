"""``external_status``: store the disposition (external_status) the agent screen applies to the call.

With a callback time of more than 12 characters and a status that is a scheduled callback
(system-wide, or else in the agent's campaign), the stored value carries the callback:
``STATUS!datetime!type!comments!``; a QM disposition code is appended to either form.
"""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..php import keep
from ..registry import host_function

# Upstream turns + into a space, then keeps these; keeping + and turning it afterwards is the same.
PARAMS = {**AGENT_FILTERS, "callback_datetime": "- +:._0-9a-zA-Z", "callback_type": "A-Z",
          "callback_comments": "- +._0-9a-zA-Z", "qm_dispo_code": "-._0-9a-zA-Z"}
COMMENTS_MAX = 200

# Any status will do: the reference never checks it against the status lists.
_valid = value_check("external_status", lambda value: len(value) >= 1)


def _scheduled_callback(call: AgentCall, status: str, agent_user: str) -> bool:
    """The status is a scheduled callback system-wide or, failing that, in the agent's campaign."""
    call.trace(f"select count(*) from vicidial_statuses where status='{status}' and scheduled_callback='Y';")
    if call.db.value("SELECT count(*) FROM vicidial_statuses WHERE status=? AND scheduled_callback='Y'", status):
        return True
    call.trace(f"select campaign_id from vicidial_live_agents where user='{agent_user}';")
    campaign = call.db.one("SELECT campaign_id FROM vicidial_live_agents WHERE user=?", agent_user)
    call.trace(f"select count(*) from vicidial_campaign_statuses where campaign_id='{campaign[0] if campaign else ''}' "
               f"and status='{status}' and scheduled_callback='Y';")
    return bool(call.db.value("SELECT count(*) FROM vicidial_campaign_statuses WHERE campaign_id=? AND status=? "
                              "AND scheduled_callback='Y'", campaign[0] if campaign else "", status))


@host_function("agent_api", "external_status", params=PARAMS, steps=AGENT_STEPS, check=_valid)
def external_status(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    datetime = call.p["callback_datetime"].replace("+", " ")
    qm_dispo_code = call.p["qm_dispo_code"]
    callback = len(datetime) > 12 and _scheduled_callback(call, value, agent_user)
    if callback:
        kind = keep(call.p["callback_type"], "A-Z")  # capitals only in non-latin mode too
        if len(kind) < 4:
            kind = "ANYONE"
        comments = call.p["callback_comments"].replace("+", " ")[:COMMENTS_MAX]
        value = f"{value}!{datetime}!{kind}!{comments}!"
    if qm_dispo_code:
        value = f"{value}{qm_dispo_code}" if callback else f"{value}!!!!{qm_dispo_code}"
    call.signal("external_status", value)
    call.say(f"SUCCESS: external_status function set - {value}|{agent_user}\n")

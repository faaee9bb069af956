"""``vm_message``: leave the audio files the agent's VM button plays for the lead on the live
call, as a row of vicidial_lead_messages."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AgentCall
from ..php import keep, loose_equals
from ..registry import host_function

# lead_id keeps digits in both modes.
PARAMS = {**AGENT_FILTERS, "lead_id": "0-9"}


def _lead_id(call: AgentCall) -> str:
    return keep(call.p["lead_id"], "0-9")


def on_live_call(lead_id: str, callerid: str) -> bool:
    """A live call: a lead on the screen and a callerid of more than 15 characters."""
    return int(lead_id) > 0 and len(callerid) > 15


def _valid(call: AgentCall) -> bool:
    value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
    if (len(agent_user) < 1 and len(alt_user) < 2) or len(value) < 1:
        call.say(f"ERROR: vm_message not valid - {_lead_id(call)}|{value}|{agent_user}\n")
        return False
    # The permission refusal echoes lead_id where most functions echo value.
    allowed = call.allowed_functions
    if " vm_message " not in allowed and "ALL_FUNCTIONS" not in allowed:
        call.say(f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
                 f"{_lead_id(call)}|{call.p['user']}|vm_message|{call.user_group}\n")
        call.exit()
        return False
    return True


@host_function("agent_api", "vm_message", params=PARAMS, steps=("alt_user", "logged_in"), check=_valid)
def vm_message(call: AgentCall) -> None:
    agent_user, value, lead_id = call.p["agent_user"], call.p["value"], _lead_id(call)
    call.trace(f"select lead_id,callerid,campaign_id from vicidial_live_agents where user='{agent_user}';")
    current_lead_id, callerid = call.db.one(
        "SELECT lead_id, callerid FROM vicidial_live_agents WHERE user=?", agent_user)
    current_lead_id = str(current_lead_id or 0)
    if not on_live_call(current_lead_id, callerid or ""):
        call.say(f"ERROR: agent_user does not have a live call - {agent_user}\n")
        return
    if len(lead_id) < 1:
        lead_id = current_lead_id
    if not loose_equals(current_lead_id, lead_id):   # PHP 8 ==: "09000201" is the lead 9000201
        call.say(f"ERROR: current call does not match lead_id submitted - {agent_user}\n")
        return
    statement = (f"INSERT INTO vicidial_lead_messages (lead_id,call_date,user,message_entry) "
                 f"values('{lead_id}',NOW(),'{call.p['user']}','{value}');")
    call.comment(statement)
    call.db.write("INSERT INTO vicidial_lead_messages (lead_id, call_date, user, message_entry) VALUES (?, ?, ?, ?)",
                  int(lead_id), call.now, call.p["user"], value)
    call.say(f"SUCCESS: vm_message function set - {agent_user}|{lead_id}|{value}|\n")

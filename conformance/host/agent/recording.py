"""``recording``: START or STOP the agent's recording (a signal in external_recording), or its STATUS."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..php import compare
from ..registry import host_function


# The words count anywhere in the value, case-sensitively.
_valid = value_check("recording", lambda value: any(word in value for word in ("START", "STOP", "STATUS")))


@host_function("agent_api", "recording", params=AGENT_FILTERS, steps=AGENT_STEPS, check=_valid)
def recording(call: AgentCall) -> None:
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.trace(f"select external_recording,server_ip,conf_exten,status from vicidial_live_agents "
               f"where user='{agent_user}';")
    recording_id, server_ip, conf_exten, status = (
        "" if field is None else str(field) for field in call.db.one(
            "SELECT external_recording, server_ip, conf_exten, status FROM vicidial_live_agents WHERE user=?",
            agent_user))
    agent = f"{server_ip}|{conf_exten}|{status}"
    if value == "STATUS":
        # PHP 8 compares a non-numeric string with 0 as text, so a pending 'START_X' counts as active.
        if recording_id not in ("START", "STOP") and compare(recording_id, 0) > 0:
            row = call.db.one("SELECT filename, server_ip, start_time FROM recording_log WHERE recording_id=?",
                              recording_id) or ("", "", "")
            filename, rec_server, start_time = ("" if field is None else str(field) for field in row)
            call.say(f"NOTICE: recording active - {agent_user}|{recording_id}|{filename}|{rec_server}|"
                     f"{start_time}|{agent}\n")
        else:
            call.say(f"NOTICE: not recording - {agent_user}|||||{agent}\n")
        return
    if "STOP" in value and (recording_id == "STOP" or compare(recording_id, 1) < 0):
        call.say(f"ERROR: stop recording error - {agent_user}|{recording_id}||||{agent}\n")
        return call.exit()
    if len(call.stage) > 0 and "START" in value:
        value = value + call.stage[:14]
    call.signal("external_recording", value)
    call.say(f"SUCCESS: recording function sent - {agent_user}|{value}||||{agent}\n")

"""What a correct host answers to a recording signal, given the state the agent is in.

Kept apart from the Locust profile (which gevent patches) so a test endpoint can answer by
the same rules without importing Locust.
"""

from __future__ import annotations

from conformance.bundle import SPECS_DIR
from conformance.spec import load_spec

RESPONSES = load_spec(SPECS_DIR / "agent_api" / "recording.yaml").responses


def expected_answer(action: str, value: str, agent: dict, state: str) -> tuple[str, str]:
    """(expected body, state after) under the reference (PHP 8) rules of api.php's recording block.

    A pending START with a stage counts as recording for STATUS; STOP is refused while
    nothing (or only a STOP) is pending.
    """
    context = {"agent_user": agent["user"], "filtered.agent_user": agent["user"], "server_ip": agent["server_ip"],
               "conf_exten": agent["conf_exten"], "status": agent["status"], "value": value}
    if action == "STATUS":
        if state.startswith("START") and state != "START":
            text = (f"NOTICE: recording active - {agent['user']}|{state}||||"
                    f"{agent['server_ip']}|{agent['conf_exten']}|{agent['status']}\n")
            return text, state
        return RESPONSES["not_recording"].body.render(context), state
    if action == "STOP" and state in ("", "STOP"):
        text = (f"ERROR: stop recording error - {agent['user']}|{state}||||"
                f"{agent['server_ip']}|{agent['conf_exten']}|{agent['status']}\n")
        return text, state
    return RESPONSES["sent"].body.render(context), value

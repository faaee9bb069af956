"""What a correct host answers to a recording signal, given the state the agent is in.

Kept apart from the Locust profile (which gevent patches) so a test endpoint can answer by
the same rules without importing Locust. The two answer templates come from
specs/agent_api/recording.yaml, read once: a Locust master reads the spec and hands the
templates' text to its workers with their agents, so no worker parses the spec (nor imports
the spec loader and its schemas) at start.
"""

from __future__ import annotations

from conformance.template import Template

TEMPLATES = ("not_recording", "sent")   # the spec's responses the rules render
_templates: dict[str, Template] = {}
_SPLIT = "\x00"   # stands for the signal while an agent's answers are rendered: no request value holds it
# an agent's (user, server_ip, conf_exten, status) -> its not-recording answer, and its sent answer
# before and after the signal
_by_agent: dict[tuple, tuple[str, str, str]] = {}


def answer_templates() -> dict[str, str]:
    """The answer templates' text by response name, read from the spec on first use."""
    if not _templates:
        from conformance.bundle import SPECS_DIR
        from conformance.spec import load_spec
        responses = load_spec(SPECS_DIR / "agent_api" / "recording.yaml").responses
        _templates.update({name: responses[name].body for name in TEMPLATES})
    return {name: template.source for name, template in _templates.items()}


def use_answer_templates(texts: dict[str, str]) -> None:
    """The templates as a master read them (``answer_templates()``), instead of reading the spec here."""
    _templates.update({name: Template.parse(texts[name]) for name in TEMPLATES})
    _by_agent.clear()


def _answers_of(agent: dict) -> tuple[str, str, str]:
    """The agent's answers rendered once (a template rendered per answer cost the profile a few
    microseconds of every request): not recording, and the sent answer split where the signal goes."""
    if not _templates:
        answer_templates()
    context = {"agent_user": agent["user"], "filtered.agent_user": agent["user"], "server_ip": agent["server_ip"],
               "conf_exten": agent["conf_exten"], "status": agent["status"], "value": _SPLIT}
    before, _, after = _templates["sent"].render(context).partition(_SPLIT)
    answers = _by_agent[_key(agent)] = (_templates["not_recording"].render(context), before, after)
    return answers


def _key(agent: dict) -> tuple:
    return agent["user"], agent["server_ip"], agent["conf_exten"], agent["status"]


def expected_answer(action: str, value: str, agent: dict, state: str) -> tuple[str, str]:
    """(expected body, state after) under the reference (PHP 8) rules of api.php's recording block.

    A pending START with a stage counts as recording for STATUS; STOP is refused while
    nothing (or only a STOP) is pending.
    """
    answers = _by_agent.get(_key(agent)) or _answers_of(agent)
    if action == "STATUS":
        if state.startswith("START") and state != "START":
            text = (f"NOTICE: recording active - {agent['user']}|{state}||||"
                    f"{agent['server_ip']}|{agent['conf_exten']}|{agent['status']}\n")
            return text, state
        return answers[0], state
    if action == "STOP" and state in ("", "STOP"):
        text = (f"ERROR: stop recording error - {agent['user']}|{state}||||"
                f"{agent['server_ip']}|{agent['conf_exten']}|{agent['status']}\n")
        return text, state
    return answers[1] + value + answers[2], value

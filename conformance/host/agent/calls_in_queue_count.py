"""``calls_in_queue_count``: how many calls and emails wait that could go to the agent: LIVE calls
of its campaign or in-groups (and AGENTDIRECT calls meant for it alone), plus NEW and QUEUE
emails of its in-groups."""

from __future__ import annotations

import re

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function


def _in_groups(closer_campaigns: str) -> tuple[list[str], bool]:
    """The in-group list as upstream pastes it into IN('...'): " A B -" loses its " -", every
    whitespace separates (so a leading one gives an empty name), and AGENTDIRECT (any case) is
    cut out of the text wherever it stands; whether it was there."""
    text = re.sub(r"\s-", "", closer_campaigns)
    direct = re.search("AGENTDIRECT", text, re.IGNORECASE) is not None
    text = re.sub("AGENTDIRECT", "", text, flags=re.IGNORECASE)
    return re.split(r"\s", text), direct


@host_function("agent_api", "calls_in_queue_count", params=AGENT_FILTERS, steps=AGENT_STEPS,
               check=value_check("calls_in_queue_count", lambda value: value == "DISPLAY"))
def calls_in_queue_count(call: AgentCall) -> None:
    agent_user, db = call.p["agent_user"], call.db
    call.trace(f"|SELECT status,campaign_id,closer_campaigns from vicidial_live_agents where user='{agent_user}';|")
    _status, campaign_id, closer_campaigns = db.one(
        "SELECT status, campaign_id, closer_campaigns FROM vicidial_live_agents WHERE user=?", agent_user)
    groups, direct = _in_groups("" if closer_campaigns is None else str(closer_campaigns))
    marks = ",".join("?" * len(groups))
    listed = "','".join(groups)
    direct_sql = (f'or ( (campaign_id LIKE "%AGENTDIRECT%") and (agent_only=\'{agent_user}\') )' if direct else "")
    call.trace(f"|SELECT count(*) from vicidial_auto_calls where status IN('LIVE') and ( (campaign_id='{campaign_id}') "
               f"or (campaign_id IN('{listed}')) {direct_sql});|")
    condition = "campaign_id=? OR campaign_id IN (" + marks + ")"
    args: list[object] = [campaign_id or "", *groups]
    if direct:
        condition += " OR (campaign_id LIKE '%AGENTDIRECT%' AND agent_only=?)"
        args.append(agent_user)
    calls = db.value(f"SELECT count(*) FROM vicidial_auto_calls WHERE status='LIVE' AND ({condition})", *args)
    call.trace(f"|SELECT count(*) from vicidial_email_list where status IN('NEW','QUEUE') and (group_id IN('{listed}'));|")
    emails = db.value(f"SELECT count(*) FROM vicidial_email_list WHERE status IN ('NEW','QUEUE') "
                      f"AND group_id IN ({marks})", *groups)
    call.say(f"SUCCESS: calls_in_queue_count - {int(calls or 0) + int(emails or 0)}")   # no line end

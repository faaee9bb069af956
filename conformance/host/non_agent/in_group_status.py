"""``in_group_status``: real-time totals of one or more in-groups, one line.

Upstream (non_agent_api.php, in_group_status block): the calls are the live calls whose campaign
is one of ``in_groups`` (pipe-separated), among those the API user's group may see (its allowed
campaigns and the in-groups of the user groups it may view, or every call): all of them and those
whose status holds LIVE. The agents are the logged-in users taking calls from those in-groups
(vicidial_live_inbound_agents), each once, in user groups the API user's group may view. Their
state is only READY or PAUSED with a lead as DISPO (no DEAD, PARK or DIAL is worked out): in calls
are INCALL, DIAL, QUEUE and PARK, waiting READY and CLOSER.
"""

from __future__ import annotations

import re

from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..realtime import GroupScope, marks, number
from ..registry import host_function

HEADER = ("ingroups", "total_calls", "calls_waiting", "agents_logged_in", "agents_in_calls", "agents_waiting",
          "agents_paused", "agents_in_dispo", "agents_in_dial")
PARAMS = {"in_groups": "-|,_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "in_group_status", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET IN-GROUP INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def in_group_status(call: NonAgentCall) -> str:
    p, db = call.p, call.db
    user, in_groups = p["user"], p["in_groups"]
    if not 0 < len(in_groups) < 10000:
        return f"ERROR: in_group_status INVALID SEARCH PARAMETERS: {user}|{in_groups}\n"
    groups = tuple(in_groups.split("|"))
    scope = GroupScope.of(db, call.user_group)
    visible = scope.call_campaigns(db)
    where, args = f"campaign_id IN ({marks(groups)})", list(groups)
    if visible is not None:
        where += f" AND campaign_id IN ({marks(visible)})"
        args += visible
    statuses = [status for (status,) in db.all(f"SELECT status FROM vicidial_auto_calls WHERE {where}", *args)]
    waiting_calls = sum(1 for status in statuses if re.search("LIVE", status or "", re.IGNORECASE))
    members = (*(str(member) for (member,) in db.all(
        f"SELECT DISTINCT user FROM vicidial_live_inbound_agents WHERE group_id IN ({marks(groups)})", *groups)), "")
    condition, agent_args = f"a.user IN ({marks(members)})", list(members)
    if scope.viewable_groups is not None:
        condition += f" AND u.user_group IN ({marks(scope.viewable_groups)})"
        agent_args += scope.viewable_groups
    agents = db.all("SELECT a.status, a.lead_id FROM vicidial_live_agents a JOIN vicidial_users u ON a.user = u.user "
                    f"WHERE {condition} LIMIT 10000000", *agent_args)
    counts = dict.fromkeys(("in_calls", "waiting", "paused", "dispo", "in_dial"), 0)
    for status, lead_id in agents:
        state = status or ""
        if re.search("READY|PAUSED", state, re.IGNORECASE) and number(lead_id) > 0:
            state = "DISPO"
        counts["dispo"] += state == "DISPO"
        counts["paused"] += state == "PAUSED"
        counts["in_calls"] += bool(re.search("INCALL|DIAL|QUEUE|PARK", state, re.IGNORECASE))
        counts["in_dial"] += bool(re.search("DIAL", state, re.IGNORECASE))
        counts["waiting"] += bool(re.search("READY|CLOSER", state, re.IGNORECASE))
    separator = delimiter(p["stage"])
    values = (in_groups.replace("|", " "), len(statuses), waiting_calls, len(agents), counts["in_calls"],
              counts["waiting"], counts["paused"], counts["dispo"], counts["in_dial"])
    line = separator.join(str(value) for value in values) + "\n"
    return (separator.join(HEADER) + "\n" if p["header"] == "YES" else "") + line

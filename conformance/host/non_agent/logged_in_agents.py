"""``logged_in_agents``: every logged-in agent the API user's group may see, one export line each.

Upstream (non_agent_api.php, logged_in_agents block): the live rows of the group's allowed
campaigns (and of ``campaigns``, pipe-separated), in the table's own order (no ORDER BY), each
printed when its user is in a user group the API user's group may view (and in ``user_groups``);
show_sub_status=YES adds the pause code and the real-time sub-status (``realtime.screen_status``).
No line at all is NO LOGGED IN AGENTS, with the agent_user parameter echoed.
"""

from __future__ import annotations

from ..export import export
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..realtime import GroupScope, LiveAgent, marks, screen_status
from ..registry import host_function

HEADER = ("user", "campaign_id", "session_id", "status", "lead_id", "callerid", "calls_today", "full_name",
          "user_group", "user_level")
PARAMS = {"campaigns": "-,|_0-9a-zA-Z", "user_groups": "-|,_0-9a-zA-Z", "show_sub_status": "A-Z",
          "agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "logged_in_agents", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def logged_in_agents(call: NonAgentCall) -> str:
    p, db = call.p, call.db
    scope = GroupScope.of(db, call.user_group)
    where, args = [], []
    if scope.campaigns is not None:
        where.append(f"campaign_id IN ({marks(scope.campaigns)})")
        args += scope.campaigns
    if 0 < len(p["campaigns"]) < 10000:
        campaigns = tuple(p["campaigns"].split("|"))
        where.append(f"campaign_id IN ({marks(campaigns)})")
        args += campaigns
    people, people_args = ["user=?"], []
    if scope.viewable_groups is not None:
        people.append(f"user_group IN ({marks(scope.viewable_groups)})")
        people_args += scope.viewable_groups
    if 0 < len(p["user_groups"]) < 10000:
        groups = tuple(p["user_groups"].split("|"))
        people.append(f"user_group IN ({marks(groups)})")
        people_args += groups
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    live = db.all(f"SELECT {LiveAgent.COLUMNS} FROM vicidial_live_agents{condition} ORDER BY live_agent_id", *args)
    sub_status = p["show_sub_status"] == "YES"
    lines = []
    for row in live:
        agent = LiveAgent.from_row(row)
        person = db.one(f"SELECT full_name, user_group, user_level FROM vicidial_users WHERE {' AND '.join(people)}",
                        agent.user, *people_args)
        if person is None:
            continue
        extra, lead_id = (), agent.lead_id
        if sub_status:
            pause_code, status, lead_id = screen_status(db, agent, agent.user)
            extra = (pause_code, status)
        lines.append((agent.user, agent.campaign_id, agent.conf_exten, agent.status, lead_id, agent.callerid,
                      agent.calls_today, *person, *extra))
    if not lines:
        return f"ERROR: logged_in_agents NO LOGGED IN AGENTS: {p['user']}|{p['agent_user']}\n"
    columns = HEADER + (("pause_code", "sub_status") if sub_status else ())
    return export(p["stage"], p["header"], columns, lines)

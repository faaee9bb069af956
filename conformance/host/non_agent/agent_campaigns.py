"""``agent_campaigns``: the active campaigns and in-groups an agent's user group allows.

Upstream (www/vicidial/non_agent_api.php, agent_campaigns): the agent must be a user the API
user's group may view; its own group's allowed_campaigns (and an optional campaign_id) pick
active campaigns, whose closer_campaigns name the in-groups, of which the active ones are
listed. Both lists are joined with ``-``; a restricted list comes in key order (MySQL reads
``IN`` by key), an unrestricted one in the table's own order (here insertion order).
"""

from __future__ import annotations

from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import API_AND_REPORTS, Gate
from ..registry import host_function
from ..user_group_scope import allowed_campaigns, group_texts, in_clause, viewable_groups

HEADER = ("user", "allowed_campaigns_list", "allowed_ingroups_list")
PARAMS = {"agent_user": "-_0-9a-zA-Z", "campaign_id": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z",
          "header": "0-9a-zA-Z", "ignore_agentdirect": "A-Z"}


@host_function("non_agent_api", "agent_campaigns", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{count}|\n",
                         level=(">", 7), flags={**API_AND_REPORTS, "modify_users": ("1",)}))
def agent_campaigns(call: NonAgentCall) -> str:
    p, user, agent_user = call.p, call.p["user"], call.p["agent_user"]
    db = call.db
    _, viewable = group_texts(db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    if not db.value(f"SELECT count(*) FROM vicidial_users WHERE user = ?{scope}", agent_user, *args):
        return f"ERROR: agent_campaigns AGENT USER DOES NOT EXIST: |{user}|{agent_user}\n"
    agent_group = db.value("SELECT user_group FROM vicidial_users WHERE user = ?", agent_user)
    allowed, _ = group_texts(db, agent_group or "")
    campaigns = allowed_campaigns(allowed)
    scope, args = in_clause("campaign_id", campaigns)
    if p["campaign_id"]:
        scope += " AND campaign_id = ?"
        args.append(p["campaign_id"])
    if campaigns is not None or p["campaign_id"]:
        order = " ORDER BY campaign_id"
    else:   # MySQL's own table order; SQLite's is rowid's
        order = db.dialect.as_inserted
    rows = db.all(f"SELECT campaign_id, closer_campaigns FROM vicidial_campaigns WHERE active = 'Y'{scope}{order}",
                  *args)
    if not rows:
        return f"ERROR: agent_campaigns THIS AGENT USER HAS NO AVAILABLE CAMPAIGNS: {agent_user}|{user}|\n"
    separator = delimiter(p["stage"])
    ingroups = "-".join(active_ingroups(call, closer_names(rows)))
    lines = [separator.join(HEADER)] if p["header"] == "YES" else []
    lines.append(separator.join((agent_user, "-".join(campaign for campaign, _ in rows), ingroups)))
    return "".join(line + "\n" for line in lines)


def closer_names(rows: list[tuple]) -> list[str]:
    """The in-group ids the campaigns' closer_campaigns name (" A B -" names A and B)."""
    names = []
    for _, closers in rows:
        text = closers or ""
        names += (text[:-1] if text.endswith("-") else text).split(" ")
    return [name for name in names if name]


def active_ingroups(call: NonAgentCall, names: list[str]) -> list[str]:
    """The active in-groups among ``names`` in key order, AGENTDIRECT ones left out on request."""
    if not names:
        return []
    direct = " AND group_id NOT LIKE 'AGENTDIRECT%'" if call.p["ignore_agentdirect"] == "Y" else ""
    marks = ", ".join("?" for _ in names)
    return [row[0] for row in call.db.all(f"SELECT group_id FROM vicidial_inbound_groups WHERE active = 'Y' AND "
                                          f"group_id IN ({marks}){direct} ORDER BY group_id", *names)]

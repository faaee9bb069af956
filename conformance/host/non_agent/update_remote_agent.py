"""``update_remote_agent``: a remote agent's lines, campaign or status in ``vicidial_remote_agents``.

Upstream (www/vicidial/non_agent_api.php, update_remote_agent) asks for Agent API access,
``modify_remoteagents`` and user level 8 or more. agent_user (2 to 20 characters) names the
remote agent by the user it starts as; that user must be in vicidial_users at a level below the
API user's (or the same, with ``modify_same_user_level``) and in a group the API user's group may
view. Then, in this order: number_of_lines 1 to 999, a campaign_id of 8 characters at most that the
group allows, a status holding ACTIVE or INACTIVE (a status some entry already has is a NOTICE, and
not changed). Every entry of that user changes (MySQL's non-strict mode keeps a TINYINT's 255 and
an ENUM's members) and the change is logged (section REMOTEAGENTS, type MODIFY). Refusals print
``: |user|...``, the success ``- user|...``.
"""

from __future__ import annotations

import re

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import allowed_campaigns, group_texts, in_clause, viewable_groups

PARAMS = {"agent_user": "-_0-9a-zA-Z", "number_of_lines": "0-9", "campaign_id": "-_0-9a-zA-Z",
          "status": "-_0-9a-zA-Z", "server_ip": "-.:_0-9a-zA-Z"}
AGENT_USER_LENGTH = (2, 20)
LINES = (1, 999)        # what the code accepts (the column, TINYINT UNSIGNED, keeps at most 255)
CAMPAIGN_MAX = 8
STATUS = re.compile("ACTIVE|INACTIVE")   # anywhere in the text, capitals only
FUNCTION = "update_remote_agent"


@host_function("non_agent_api", FUNCTION, params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO UPDATE REMOTE AGENTS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_remoteagents": ("1",)}))
def update_remote_agent(call: NonAgentCall) -> str:
    user, agent = call.p["user"], call.p["agent_user"]
    if not AGENT_USER_LENGTH[0] <= len(agent) <= AGENT_USER_LENGTH[1]:
        return f"ERROR: {FUNCTION} YOU MUST USE ALL REQUIRED FIELDS: |{user}|{agent}|\n"
    campaigns_text, viewable_text = group_texts(call.db, call.user_group)
    if entries(call, agent) < 1:
        return f"ERROR: {FUNCTION} REMOTE AGENT DOES NOT EXIST: |{user}|{call.p['server_ip']}\n"
    comparison, api_level = level_rule(call)
    if not agent_allowed(call, agent, comparison, api_level, viewable_groups(viewable_text)):
        return (f"ERROR: {FUNCTION} USER DOES NOT HAVE PERMISSION TO UPDATE THIS REMOTE AGENT: "
                f"|{user}|{agent}|{comparison}|{api_level}\n\n")
    changes, printed = [], ""
    lines = call.p["number_of_lines"]
    if len(lines) > 0:
        if not LINES[0] <= int(lines) <= LINES[1]:
            return f"ERROR: {FUNCTION} YOU MUST USE A VALID NUMBER OF LINES, THIS IS AN OPTIONAL FIELD: |{user}|{lines}\n"
        changes.append(("number_of_lines", lines))
    campaign = call.p["campaign_id"]
    if len(campaign) > 0:
        found = campaign_count(call, campaign, allowed_campaigns(campaigns_text))
        if len(campaign) > CAMPAIGN_MAX or found < 1:
            return (f"ERROR: {FUNCTION} YOU MUST USE A VALID CAMPAIGN ID, THIS IS AN OPTIONAL FIELD: "
                    f"|{user}|{campaign}|{found}\n")
        changes.append(("campaign_id", campaign))
    status = call.p["status"]
    if len(status) > 0:
        if not STATUS.search(status):
            return f"ERROR: {FUNCTION} STATUS MUST BE ACTIVE OR INACTIVE, THIS IS AN OPTIONAL FIELD: |{user}|{status}\n"
        if entries(call, agent, status) > 0:
            printed = f"NOTICE: {FUNCTION} REMOTE AGENT IS ALREADY {status}: |{user}|{agent}\n"
        else:
            changes.append(("status", status))
    if not changes:
        return printed + f"ERROR: {FUNCTION} NO UPDATES DEFINED: |{user}|\n"
    call.db.write(f"UPDATE vicidial_remote_agents SET {', '.join(f'{column} = ?' for column, _ in changes)} "
                  "WHERE user_start = ?", *(stored("vicidial_remote_agents", column, value) for column, value in changes),
                  agent)
    assigned = " ,".join(f"{column}='{value}'" for column, value in changes)
    statement = f"UPDATE vicidial_remote_agents SET {assigned} WHERE user_start='{agent}'"
    log_admin_event(call, "REMOTEAGENTS", "MODIFY", agent, "ADMIN API UPDATE REMOTEAGENTS", [statement],
                    f"user start: {agent}")
    return printed + f"SUCCESS: {FUNCTION} REMOTE AGENT HAS BEEN UPDATED - {user}|{agent}|\n"


def entries(call: NonAgentCall, agent: str, status: str | None = None) -> int:
    """How many remote agent entries start as ``agent`` (with ``status``, when given)?"""
    if status is None:
        return int(call.db.value("SELECT count(*) FROM vicidial_remote_agents WHERE user_start = ?", agent) or 0)
    return int(call.db.value("SELECT count(*) FROM vicidial_remote_agents WHERE user_start = ? AND status = ?",
                             agent, status) or 0)


def level_rule(call: NonAgentCall) -> tuple[str, int]:
    """The comparison an agent's level must pass against the API user's, and that level: ``<=``
    when the API user may modify its own level, else ``<``."""
    row = call.db.one("SELECT user_level, modify_same_user_level FROM vicidial_users WHERE user = ?", call.p["user"])
    level, same = (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)
    return ("<=" if same >= 1 else "<"), level


def agent_allowed(call: NonAgentCall, agent: str, comparison: str, api_level: int,
                  groups: tuple[str, ...] | None) -> bool:
    """Is ``agent`` a user at an allowed level in a group the API user may view?"""
    scope, args = in_clause("user_group", groups)
    return int(call.db.value(f"SELECT count(*) FROM vicidial_users WHERE user = ? AND user_level {comparison} ?{scope}",
                             agent, api_level, *args) or 0) > 0


def campaign_count(call: NonAgentCall, campaign: str, allowed: tuple[str, ...] | None) -> int:
    """How many campaigns of the group's allowed ones have the id (compared without letter case)?"""
    scope, args = in_clause("campaign_id", allowed)
    return int(call.db.value(f"SELECT count(*) FROM vicidial_campaigns WHERE campaign_id = ?{scope}",
                             campaign, *args) or 0)

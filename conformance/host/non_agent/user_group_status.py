"""``user_group_status``: real-time totals of the agents of one or more user groups, one line.

Upstream (non_agent_api.php, user_group_status block): calls waiting are the live calls whose
status holds LIVE among the calls the API user's group may see (its allowed campaigns and the
in-groups of the user groups it may view, or every call); the agents are the live rows whose
user is in ``user_groups`` (pipe-separated) and in a user group the API user's group may view.
An agent's state: READY or PAUSED with a lead is DISPO; INCALL is PARK (a parked call under its
caller id), untouched on an email, DEAD when its caller id followed by | is not found in the
visible calls' caller ids (a regex search, as upstream's), or DIAL (a manual dial not yet
answered); an INCALL chat agent ends upstream's script (PhpFatal). Then: in calls are INCALL,
DIAL, QUEUE and PARK; waiting READY and CLOSER.
"""

from __future__ import annotations

import re

from ..export import delimiter
from ..non_agent_api import NonAgentCall, PhpFatal
from ..permission_gate import Gate
from ..realtime import GroupScope, manual_dial_ringing, marks, number
from ..registry import host_function

HEADER = ("usergroups", "calls_waiting", "agents_logged_in", "agents_in_calls", "agents_waiting", "agents_paused",
          "agents_in_dead_calls", "agents_in_dispo", "agents_in_dial")
PARAMS = {"user_groups": "-|,_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "user_group_status", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET USER GROUP INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def user_group_status(call: NonAgentCall) -> str:
    p, db = call.p, call.db
    user, user_groups = p["user"], p["user_groups"]
    if not 0 < len(user_groups) < 10000:
        return f"ERROR: user_group_status INVALID SEARCH PARAMETERS: {user}|{user_groups}\n"
    scope = GroupScope.of(db, call.user_group)
    visible = scope.call_campaigns(db)
    where = f" WHERE campaign_id IN ({marks(visible)})" if visible is not None else ""
    calls = db.all(f"SELECT callerid, status FROM vicidial_auto_calls{where}", *(visible or ()))
    callerids = "".join(f"{_text(callerid)}|" for callerid, _ in calls)
    waiting_calls = sum(1 for _, status in calls if re.search("LIVE", _text(status), re.IGNORECASE))
    groups = tuple(user_groups.split("|"))
    condition, args = f"u.user_group IN ({marks(groups)})", list(groups)
    if scope.viewable_groups is not None:
        condition += f" AND u.user_group IN ({marks(scope.viewable_groups)})"
        args += scope.viewable_groups
    agents = db.all("SELECT a.status, a.comments, a.callerid, a.lead_id FROM vicidial_live_agents a "
                    f"JOIN vicidial_users u ON a.user = u.user WHERE {condition} LIMIT 10000000", *args)
    counts = dict.fromkeys(("total", "in_calls", "waiting", "paused", "dead", "dispo", "in_dial"), 0)
    for status, comments, callerid, lead_id in agents:
        state = _state(db, _text(status), _text(comments), _text(callerid), lead_id, callerids)
        counts["total"] += 1
        counts["dead"] += state == "DEAD"
        counts["dispo"] += state == "DISPO"
        counts["paused"] += state == "PAUSED"
        counts["in_calls"] += bool(re.search("INCALL|DIAL|QUEUE|PARK", state, re.IGNORECASE))
        counts["in_dial"] += bool(re.search("DIAL", state, re.IGNORECASE))
        counts["waiting"] += bool(re.search("READY|CLOSER", state, re.IGNORECASE))
    separator = delimiter(p["stage"])
    values = (user_groups.replace("|", " "), waiting_calls, counts["total"], counts["in_calls"], counts["waiting"],
              counts["paused"], counts["dead"], counts["dispo"], counts["in_dial"])
    line = separator.join(str(value) for value in values) + "\n"
    return (separator.join(HEADER) + "\n" if p["header"] == "YES" else "") + line


def _state(db, status: str, comments: str, callerid: str, lead_id, callerids: str) -> str:
    if re.search("READY|PAUSED", status, re.IGNORECASE) and number(lead_id) > 0:
        return "DISPO"
    if not re.search("INCALL", status, re.IGNORECASE):
        return status
    if int(db.value("SELECT count(*) FROM parked_channels WHERE channel_group=?", callerid) or 0) > 0:
        return "PARK"
    if re.search("CHAT", comments, re.IGNORECASE):   # PHP 8: mysqli_num_rows() of a result never set
        raise PhpFatal(f"user_group_status: INCALL chat agent with caller id {callerid!r}")
    if re.search("EMAIL", comments, re.IGNORECASE):
        return status
    if not _php_search(callerid + r"\|", callerids):
        return "DEAD"
    if comments == "MANUAL" and manual_dial_ringing(db, callerid):
        return "DIAL"
    return status


def _php_search(pattern: str, text: str) -> bool:
    """preg_match of an unescaped caller id: a pattern PCRE cannot compile matches nothing."""
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _text(value) -> str:
    return "" if value is None else str(value)

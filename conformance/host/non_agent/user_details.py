"""``user_details``: one user's name, group, level and active flag, if the API user's group may view it.

Upstream (www/vicidial/non_agent_api.php, user_details) echoes ``agent_user`` as sent (the
lookup is case-insensitive, so the case sent is the case printed), and prints the header
only with a found user.
"""

from __future__ import annotations

from ..export import export
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

HEADER = ("user", "full_name", "user_group", "user_level", "active")
PARAMS = {"agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "user_details", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET USER DETAILS: |{user}|{count}|\n",
                         level=(">", 6)))
def user_details(call: NonAgentCall) -> str:
    p, user, agent_user = call.p, call.p["user"], call.p["agent_user"]
    if not 0 < len(agent_user) < 100:
        return f"ERROR: user_details INVALID SEARCH PARAMETERS: {user}|{agent_user}\n"
    _, viewable = group_texts(call.db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    found = call.db.one(f"SELECT full_name, user_group, user_level, active FROM vicidial_users WHERE user = ?{scope}",
                        agent_user, *args)
    if found is None:
        return f"ERROR: user_details USER NOT FOUND: {user}|{agent_user}\n"
    return export(p["stage"], p["header"], HEADER, [(agent_user, *found)])

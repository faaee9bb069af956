"""``ingroup_list``: the admin screen's in-group chooser, an HTML page of the active in-groups.

Upstream (non_agent_api.php, ingroup_list block; not in docs/NON-AGENT_API.txt): before the
allowed-functions check, a gate on ``user_level > 6`` alone, which every user who logged in to
this API passes. Then every active in-group whose user group is ``---ALL---`` or one the API user's
group may view (admin_viewable_groups), by group_id, each with its name and a cell in its colour.
"""

from __future__ import annotations

from ..chooser_page import field_name, page
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

HEADER = ((" colspan=2", "Inbound Groups"), ("", "Name"), ("", "Color"))


@host_function("non_agent_api", "ingroup_list", params={"comments": None}, steps=("gate", "permission"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO VIEW INBOUND GROUPS LIST: |{user}|{count}|\n",
                         level=(">", 6), flags={}))
def ingroup_list(call: NonAgentCall) -> str:
    _campaigns, viewable = group_texts(call.db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    rows = call.db.all(f"SELECT group_id, group_name, group_color FROM vicidial_inbound_groups WHERE active='Y'{scope} "
                       "ORDER BY group_id", *args)
    items = [(group_id, name or "", colour or "") for group_id, name, colour in rows]
    return page(HEADER, items, field_name(call.p["comments"]))

"""``callmenu_list``: the admin screen's call menu chooser, an HTML page of the call menus.

Upstream (non_agent_api.php, callmenu_list block; not in docs/NON-AGENT_API.txt): the same gate
as ingroup_list (``user_level > 6``, before the allowed-functions check). Then every call menu
whose user group is ``---ALL---`` or one the API user's group may view, by menu_id, each with its
name; upstream reads the prompt too but prints no colour cell (that line is commented out).
"""

from __future__ import annotations

from ..chooser_page import field_name, page
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

HEADER = ((" colspan=2", "Call Menus"), ("", "Name"))


@host_function("non_agent_api", "callmenu_list", params={"comments": None}, steps=("gate", "permission"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO VIEW CALL MENUS LIST: |{user}|{count}|\n",
                         level=(">", 6), flags={}))
def callmenu_list(call: NonAgentCall) -> str:
    _campaigns, viewable = group_texts(call.db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    rows = call.db.all(f"SELECT menu_id, menu_name FROM vicidial_call_menu WHERE 1=1{scope} ORDER BY menu_id", *args)
    return page(HEADER, [(menu_id, name or "", None) for menu_id, name in rows], field_name(call.p["comments"]))

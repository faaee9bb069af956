"""``container_list``: the admin screen's settings container chooser, an HTML page of one type's containers.

Upstream (non_agent_api.php, container_list block; docs/NON-AGENT_API.txt names it only in its
change log): a ``type`` left empty by its filter is refused first, before the gate (``user_level >
6``, whose refusal upstream words as callmenu_list's, CALL MENUS LIST) and the allowed-functions
check. Then every container of that type (compared as text) whose user group is ``---ALL---`` or
one the API user's group may view, by container_id, each with its notes; the header names the
type as given.
"""

from __future__ import annotations

from ..chooser_page import field_name, page
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

TYPE_CHARS = "-_0-9a-zA-Z"   # upstream filters type so in either character mode


def type_given(call: NonAgentCall) -> str | None:
    """The refusal of a request without a type."""
    if len(keep(call.p["type"], TYPE_CHARS)) < 1:   # strlen(): an array is PHP's fatal TypeError
        return f"ERROR: container_list NO CONTAINER TYPE DEFINED: |{call.p['user']}||\n"
    return None


@host_function("non_agent_api", "container_list", params={"comments": None, "type": TYPE_CHARS},
               steps=("check", "gate", "permission"), check=type_given,
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO VIEW CALL MENUS LIST: |{user}|{count}|\n",
                         level=(">", 6), flags={}))
def container_list(call: NonAgentCall) -> str:
    kind = keep(call.p["type"], TYPE_CHARS)
    _campaigns, viewable = group_texts(call.db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    rows = call.db.all("SELECT container_id, container_notes FROM vicidial_settings_containers "
                       f"WHERE container_type = ?{scope} ORDER BY container_id", kind, *args)
    header = ((" colspan=2", f"Settings Containers: <br>{kind} type"), ("", "Container Notes"))
    return page(header, [(container_id, notes or "", None) for container_id, notes in rows],
                field_name(call.p["comments"]))

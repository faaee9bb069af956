"""``lead_dearchive``: one lead moved from vicidial_list_archive back into vicidial_list.

Upstream (www/vicidial/non_agent_api.php, lead_dearchive block, 2.14-202) asks for Agent API
access, ``modify_leads`` 1 and user level above 7. ``lead_id`` keeps its digits and must keep 1
to 11. The archive lookup is limited to the lists of the API user's group's campaigns, whatever
``api_list_restrict`` says, but only when those campaigns have a list: a group with no row, or
whose campaigns have none, limits nothing. A lead found in the archive and not in vicidial_list
is copied over whole and deleted from the archive; the answer counts both. The not-found answer
echoes ``stage`` and ``search_location``, which the block never uses. No admin log row.
"""

from __future__ import annotations

from ..group_campaigns import allowed_campaigns, campaign_clause
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"lead_id": "0-9", "stage": "-_0-9a-zA-Z", "search_location": "A-Z"}


@host_function("non_agent_api", "lead_dearchive", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO MODIFY LEAD INFO: |{user}|{count}|\n",
                         level=(">", 7), flags={"vdc_agent_api_access": ("1",), "modify_leads": ("1",)}))
def lead_dearchive(call: NonAgentCall) -> str:
    p, user, lead_id = call.p, call.p["user"], call.p["lead_id"]
    if not 0 < len(lead_id) < 12:
        return f"ERROR: lead_dearchive INVALID SEARCH PARAMETERS: {user}|{lead_id}\n"
    lists = _allowed_lists(call)
    limit = f" AND list_id IN ({', '.join('?' for _ in lists)})" if lists else ""
    archived = call.db.one(f"SELECT list_id FROM vicidial_list_archive WHERE lead_id = ?{limit} LIMIT 1",
                           int(lead_id), *lists)
    if archived is None:
        return f"ERROR: lead_dearchive ARCHIVED LEAD NOT FOUND: {user}|{lead_id}|{p['stage']}|{p['search_location']}\n"
    if in_vicidial_list(call, int(lead_id)):
        return f"ERROR: lead_dearchive NON-ARCHIVED LEAD FOUND: {user}|{lead_id}|{archived[0]}\n"
    inserted = copy_back(call, int(lead_id))
    if inserted < 1:
        return f"ERROR: lead_dearchive LEAD INSERT FAILED: {user}|{lead_id}|{archived[0]}\n"
    deleted = remove_archived(call, int(lead_id))
    return f"SUCCESS: lead_dearchive LEAD DE-ARCHIVED: {user}|{lead_id}|{inserted}|{deleted}\n"


def in_vicidial_list(call: NonAgentCall, lead_id: int) -> bool:
    """Whether vicidial_list already holds the lead."""
    return call.db.one("SELECT list_id FROM vicidial_list WHERE lead_id = ? LIMIT 1", lead_id) is not None


def copy_back(call: NonAgentCall, lead_id: int) -> int:
    """The archived row copied whole into vicidial_list; the rows copied."""
    return call.db.write("INSERT INTO vicidial_list SELECT * FROM vicidial_list_archive WHERE lead_id = ?", lead_id)


def remove_archived(call: NonAgentCall, lead_id: int) -> int:
    """The archived row deleted; the rows deleted."""
    return call.db.write("DELETE FROM vicidial_list_archive WHERE lead_id = ?", lead_id)


def _allowed_lists(call: NonAgentCall) -> list[int]:
    """The lists of the group's campaigns (none: the lookup is not limited). Upstream limits only
    when the quoted, comma-joined ids are longer than 3 characters, so one list '1' limits nothing."""
    campaigns = allowed_campaigns(call.db, call.user_group)
    if campaigns is None:
        return []
    clause, args = campaign_clause(campaigns)
    lists = [row[0] for row in call.db.all(f"SELECT list_id FROM vicidial_lists WHERE 1{clause}", *args)]
    return lists if len(",".join(f"'{list_id}'" for list_id in lists)) > 3 else []

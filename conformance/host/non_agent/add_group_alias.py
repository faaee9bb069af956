"""``add_group_alias``: a new caller id alias in ``groups_alias``.

Upstream (www/vicidial/non_agent_api.php, add_group_alias) asks for Agent API access, "ast admin
access" and user level 8 or more. The caller id number must keep 6 digits; an id or name shorter
than 2 characters takes the number, an empty ``active`` is Y and an empty group ``---ALL---``; a
``+`` in the name or caller id name is a space. A new id is stored (MySQL's non-strict mode cuts
each text to its column, an ``active`` outside Y/N is '') and logged in the admin log (section
GROUPALIASES, no notes); a longer id cut to a stored one is the INSERT's duplicate key, which PHP 8's
mysqli throws (HTTP 500, nothing logged). Refusals print ``: |user|...``, the success ``- user|...``.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..registry import host_function

PARAMS = {"group_alias_id": "_0-9a-zA-Z", "group_alias_name": "- +_0-9a-zA-Z", "caller_id_number": "0-9",
          "caller_id_name": "- +_0-9a-zA-Z", "active": "A-Z", "admin_user_group": "-_0-9a-zA-Z"}
NUMBER_MIN = 6   # caller_id_number's required length; an id or name shorter than 2 is the number
COLUMNS = ("group_alias_id", "group_alias_name", "caller_id_number", "caller_id_name", "active", "user_group")


@host_function("non_agent_api", "add_group_alias", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD GROUP ALIASES: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "ast_admin_access": ("1",)}))
def add_group_alias(call: NonAgentCall) -> str:
    user, number = call.p["user"], call.p["caller_id_number"]
    alias, name = call.p["group_alias_id"], call.p["group_alias_name"]
    if len(number) < NUMBER_MIN:
        return f"ERROR: add_group_alias YOU MUST USE ALL REQUIRED FIELDS: |{user}|{alias}|{name}|{number}\n"
    alias = alias if len(alias) >= 2 else number
    name = spaced(name if len(name) >= 2 else number)
    values = (alias, name, number, spaced(call.p["caller_id_name"]), call.p["active"] or "Y",
              call.p["admin_user_group"] or "---ALL---")
    if alias_taken(call, alias):
        return f"ERROR: add_group_alias GROUP ALIAS ALREADY EXISTS: |{user}|{alias}|{number}\n"
    kept = [stored("groups_alias", column, value) for column, value in zip(COLUMNS, values)]
    if alias_taken(call, kept[0]):   # a longer id cut to a stored one: the INSERT's duplicate key, which mysqli throws
        raise PhpFatal("duplicate entry in the alias's INSERT")
    call.db.write(f"INSERT INTO groups_alias ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})", *kept)
    quoted = ", ".join(f"'{value}'" for value in values)
    statement = f"INSERT INTO groups_alias ({', '.join(COLUMNS)}) VALUES ({quoted})"
    log_admin_event(call, "GROUPALIASES", "ADD", alias, "ADMIN API ADD GROUP ALIAS", [statement], "")
    return f"SUCCESS: add_group_alias GROUP ALIAS HAS BEEN ADDED - {user}|{alias}|{name}|{number}\n"


def spaced(text: str) -> str:
    """A name as upstream stores it: each + a space."""
    return text.replace("+", " ")


def alias_taken(call: NonAgentCall, alias: str) -> bool:
    """Does groups_alias hold the id (compared as the database does, without letter case)?"""
    return int(call.db.value("SELECT count(*) FROM groups_alias WHERE group_alias_id = ?", alias) or 0) > 0

"""``update_phone_alias``: renames a phone alias, changes its phones, or deletes it.

Upstream (www/vicidial/non_agent_api.php, update_phone_alias) asks for Agent API access, "ast
admin access" and user level 8 or more. An id of 2 characters or more is required, with a login
list of 2 or more, a name or delete_alias; the id must be in phones_alias. delete_alias=Y deletes
the alias when the user also has "ast delete phones" (a NOTICE otherwise), and nothing else is
done. Else a name must keep 2 to 50 characters and every login of a list of 2 characters or more
must be a phone's; a list shorter than that is left alone. The changes are logged (section
PHONEALIASES, the logins as sent as notes); none at all is a NOTICE.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..phone_logins import alias_exists, first_missing_login
from ..registry import host_function

PARAMS = {"alias_id": "-_0-9a-zA-Z", "alias_name": "- +.:/@_0-9a-zA-Z", "phone_logins": "-,_0-9a-zA-Z",
          "delete_alias": "A-Z"}
NAME_LENGTHS = (2, 50)
LOGINS_MIN = 2   # a shorter login list is left out (and does not count as a field sent)
# delete_alias=Y: a second count, "ast delete phones" in place of "ast admin access"
DELETE_GATE = Gate("NOTICE: {function} USER DOES NOT HAVE PERMISSION TO DELETE PHONE ALIASES: |{user}|{count}\n",
                   level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "ast_delete_phones": ("1",)})


@host_function("non_agent_api", "update_phone_alias", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO UPDATE PHONE ALIASES: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "ast_admin_access": ("1",)}))
def update_phone_alias(call: NonAgentCall) -> str:
    user, alias, name, logins = (call.p[key] for key in ("user", "alias_id", "alias_name", "phone_logins"))
    delete = call.p["delete_alias"]
    if len(alias) < 2 or (len(logins) < LOGINS_MIN and not name and not delete):
        return f"ERROR: update_phone_alias YOU MUST USE ALL REQUIRED FIELDS: |{user}|{alias}|{name}|{logins}\n"
    if not alias_exists(call, alias):
        return f"ERROR: update_phone_alias PHONE ALIAS DOES NOT EXIST: |{user}|{alias}\n"
    if delete == "Y":
        return delete_alias(call, user, alias)
    changes = []   # (column, value) in upstream's order: the logins, then the name
    if name:
        if not NAME_LENGTHS[0] <= len(name) <= NAME_LENGTHS[1]:
            return f"ERROR: update_phone_alias YOU MUST USE A VALID ALIAS NAME: |{user}|{name}\n"
    if len(logins) >= LOGINS_MIN:
        missing = first_missing_login(call, logins)
        if missing is not None:
            return f"ERROR: update_phone_alias PHONE DOES NOT EXIST: |{user}|{missing}\n"
        changes.append(("logins_list", logins))
    if name:
        changes.append(("alias_name", name))
    if not changes:
        return f"NOTICE: update_phone_alias NO UPDATES DEFINED: |{user}|\n"
    call.db.write(f"UPDATE phones_alias SET {', '.join(f'{column} = ?' for column, _ in changes)} WHERE alias_id = ?",
                  *(stored("phones_alias", column, value) for column, value in changes), alias)
    assignments = ",".join(f"{column}='{value}'" for column, value in changes)
    statement = f"UPDATE phones_alias SET {assignments} WHERE alias_id='{alias}'"
    log_admin_event(call, "PHONEALIASES", "MODIFY", alias, "ADMIN API UPDATE PHONE", [statement], f"phones: {logins}")
    return f"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED - {user}|{alias}|\n"


def delete_alias(call: NonAgentCall, user: str, alias: str) -> str:
    """delete_alias=Y: the alias goes if the user may delete phones; nothing else is changed."""
    refusal = DELETE_GATE.refuse(call.db, "update_phone_alias", user)
    if refusal is not None:
        return refusal
    call.db.write("DELETE FROM phones_alias WHERE alias_id = ?", alias)
    log_admin_event(call, "PHONEALIASES", "DELETE", alias, "ADMIN API DELETE PHONE ALIAS",
                    [f"DELETE FROM phones_alias where alias_id='{alias}'"], "")
    return f"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN DELETED - {user}|{alias}\n"

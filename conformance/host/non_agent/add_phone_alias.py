"""``add_phone_alias``: a new phone alias (one name for several phones) in ``phones_alias``.

Upstream (www/vicidial/non_agent_api.php, add_phone_alias) asks for Agent API access, "ast admin
access" and user level 8 or more. An id and a login list of 2 characters or more and a name are
required; an id phones_alias holds is refused, and so is a list naming a login no phone has (the
first such). The alias is stored as sent (MySQL's non-strict mode cuts each text to its column;
a longer id cut to a stored one is the INSERT's duplicate key, which PHP 8's mysqli throws: HTTP
500, nothing logged) and logged in the admin log (section PHONEALIASES, the logins as notes). Refusals print
``: |user|...``, the success ``- user|...``.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..phone_logins import alias_exists, first_missing_login
from ..registry import host_function

PARAMS = {"alias_id": "-_0-9a-zA-Z", "alias_name": "- +.:/@_0-9a-zA-Z", "phone_logins": "-,_0-9a-zA-Z"}
COLUMNS = ("alias_id", "alias_name", "logins_list")
REQUIRED_LENGTHS = {"alias_id": 2, "phone_logins": 2, "alias_name": 1}   # after the filters


@host_function("non_agent_api", "add_phone_alias", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD PHONE ALIASES: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "ast_admin_access": ("1",)}))
def add_phone_alias(call: NonAgentCall) -> str:
    user, alias, name, logins = (call.p[key] for key in ("user", "alias_id", "alias_name", "phone_logins"))
    if any(len(call.p[param]) < least for param, least in REQUIRED_LENGTHS.items()):
        return f"ERROR: add_phone_alias YOU MUST USE ALL REQUIRED FIELDS: |{user}|{alias}|{name}|{logins}\n"
    if alias_exists(call, alias):
        return f"ERROR: add_phone_alias PHONE ALIAS ALREADY EXISTS: |{user}|{alias}\n"
    missing = first_missing_login(call, logins)
    if missing is not None:
        return f"ERROR: add_phone_alias PHONE DOES NOT EXIST: |{user}|{missing}\n"
    values = (alias, name, logins)
    kept = [stored("phones_alias", column, value) for column, value in zip(COLUMNS, values)]
    if alias_exists(call, kept[0]):   # a longer id cut to a stored one: the INSERT's duplicate key, which mysqli throws
        raise PhpFatal("duplicate entry in the alias's INSERT")
    call.db.write(f"INSERT INTO phones_alias ({', '.join(COLUMNS)}) VALUES (?, ?, ?)", *kept)
    quoted = ", ".join(f"'{value}'" for value in values)
    statement = f"INSERT INTO phones_alias ({', '.join(COLUMNS)}) VALUES ({quoted})"
    log_admin_event(call, "PHONEALIASES", "ADD", alias, "ADMIN API ADD PHONE ALIAS", [statement], f"phones: {logins}")
    return f"SUCCESS: add_phone_alias PHONE ALIAS HAS BEEN ADDED - {user}|{alias}|{name}|{logins}\n"

"""``call_agent``: ring the agent's phone again and put it back in the agent's conference.

Follows upstream www/agc/api.php (2.14-82), call_agent block: the agent screen stored, at login,
the Asterisk Originate that first called the agent (vicidial_session_data.agent_login_call: a
whole vicidial_manager row, its fields joined by "|"). The function queues that row again, with
a seven-digit Exten: made the agent's conference now (one space more before it, as upstream's
replacement writes it); other Exten: lines stay. The fields go into the INSERT positionally, so
an entry that is not upstream's nineteen columns makes MySQL refuse it and PHP 8 end with HTTP 500.
"""

from __future__ import annotations

import re

from ...phpmath import php_str
from ...tables.schema import TABLES, cut
from ..agent_api import AGENT_FILTERS, AgentCall, SqlError, value_check
from ..registry import host_function

# vicidial_manager's columns in upstream's order: the entry's fields fill them one by one.
MANAGER_COLUMNS = ("man_id", "uniqueid", "entry_date", "status", "response", "server_ip", "channel", "action",
                   "callerid", *(f"cmd_line_{letter}" for letter in "bcdefghijk"))
# An entry this long or shorter counts as empty.
_ENTRY_MIN = 5
_EXTEN = re.compile(r"(.+?Exten: )[0-9]{7}(\|Priority.+)")


@host_function("agent_api", "call_agent", params=AGENT_FILTERS, steps=("permission", "alt_user"),
               check=value_check("call_agent", lambda value: value == "CALL"))
def call_agent(call: AgentCall) -> None:
    agent_user = call.p["agent_user"]
    call.trace(f"select count(*), conf_exten from vicidial_live_agents where user='{agent_user}';")
    agent = call.db.one("SELECT conf_exten FROM vicidial_live_agents WHERE user=?", agent_user)
    if agent is None:
        call.say(f"ERROR: agent_user is not logged in - {agent_user}\n")
        return
    conf_exten = php_str(agent[0])
    call.trace(f"select agent_login_call from vicidial_session_data where user='{agent_user}';")
    session = call.db.one("SELECT agent_login_call FROM vicidial_session_data WHERE user=?", agent_user)
    if session is None:
        call.say(f"ERROR: call_agent error - no session data - {agent_user}\n")
        return
    entry = php_str(session[0])
    if len(entry) <= _ENTRY_MIN:
        call.say(f"ERROR: call_agent error - entry is empty - {agent_user}\n")
        return
    entry = _EXTEN.sub(lambda match: f"{match.group(1)} {conf_exten}{match.group(2)}", entry)
    fields = entry.split("|")
    statement = "INSERT INTO vicidial_manager values('" + "','".join(fields) + "');"
    call.comment(statement)
    if len(fields) != len(MANAGER_COLUMNS) or "'" in entry or "\\" in entry:
        raise SqlError(statement)   # MySQL refuses the statement; PHP 8's mysqli throws
    _queue(call, dict(zip(MANAGER_COLUMNS, fields)))
    call.say(f"SUCCESS: call_agent function sent - {agent_user}\n")


def _queue(call: AgentCall, row: dict[str, str]) -> None:
    """The row as MySQL's non-strict mode stores it (the declared columns; the id is the database's):
    texts cut to their width, a value no ENUM member becomes ''."""
    stored = {}
    for column in TABLES["vicidial_manager"].columns:
        if column.auto_increment or column.name not in row:
            continue
        value = row[column.name]
        if column.enum_values and value not in column.enum_values:
            value = ""
        stored[column.name] = cut(column, value)
    names = ", ".join(stored)
    call.db.write(f"INSERT INTO vicidial_manager ({names}) VALUES ({', '.join('?' * len(stored))})", *stored.values())

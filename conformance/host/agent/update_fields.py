"""``update_fields``: change fields of the lead on an agent's screen (vicidial_list) and ask the
screen to reload them (external_update_fields and its data)."""

from __future__ import annotations

import re

from ...tables.schema import TABLES, fit
from ..agent_api import AGENT_FILTERS, AgentCall, SqlError
from ..lead_updates import stored_value
from ..mysql_text import assignments
from ..php import keep
from ..registry import host_function
from .refresh_panel import reload_note
from .switch_lead import free_text

# Upstream's fields in its order: the characters each keeps (None: free text, see free_text),
# whether a + left after the URL decoding becomes a space, and whether its name is looked for in
# the query string without regard to case.
FIELDS = (
    ("phone_code", "0-9X", False, False), ("address1", "- '+.:/@_0-9a-zA-Z", True, False),
    ("address2", "- '+.:/@_0-9a-zA-Z", True, False), ("address3", "- '+.:/@_0-9a-zA-Z", True, False),
    ("alt_phone", "- '+_.0-9a-zA-Z", True, False), ("city", "- '+.:/@_0-9a-zA-Z", True, False),
    ("comments", None, True, False), ("country_code", "A-Z", False, False),
    ("date_of_birth", "-0-9", False, False), ("email", "- '+.:/@%_0-9a-zA-Z", True, False),
    ("first_name", "- '+_.0-9a-zA-Z", True, False), ("gender", "A-Z", False, False),
    ("gmt_offset_now", "-_.0-9", False, False), ("last_name", "- '+_.0-9a-zA-Z", True, False),
    ("middle_initial", "0-9a-zA-Z", False, False), ("phone_number", "*#0-9a-zA-Z", False, False),
    # postal_code is filtered twice upstream; what survives both is this, with + as a space.
    ("postal_code", "- +0-9a-zA-Z", True, True), ("province", "- '+._0-9a-zA-Z", True, True),
    ("security_phrase", "- '+.:/@_0-9a-zA-Z", True, True), ("source_id", None, True, True),
    ("state", "- 0-9a-zA-Z", False, True), ("title", "- '_.0-9a-zA-Z", False, True),
    ("vendor_lead_code", None, True, True), ("rank", "0-9", False, True),
    ("owner", "- '+.:/@_0-9a-zA-Z", True, True),
)
# Upstream keeps these ASCII classes in its non-latin mode too, where other fields keep letters of any script.
ASCII_ONLY = {"phone_code", "country_code", "date_of_birth", "gender", "gmt_offset_now", "rank"}
TRIGGERS = ("formreload", "scriptreload", "script2reload", "emailreload", "chatreload")
PARAMS = {"agent_user": AGENT_FILTERS["agent_user"], "value": AGENT_FILTERS["value"],
          **{name: chars for name, chars, _, _ in FIELDS}}
_LIST = TABLES["vicidial_list"]


def _found(name: str, query: str, any_case: bool) -> bool:
    return re.search(name, query, (re.IGNORECASE | re.ASCII) if any_case else 0) is not None


def _value(call: AgentCall, name: str, chars: str | None, plus_is_space: bool) -> str:
    value = free_text(call.p[name]) if chars is None else call.p[name]
    if name in ASCII_ONLY:
        value = keep(value, chars)
    return value.replace("+", " ") if plus_is_space else value


def _valid(call: AgentCall) -> bool:
    # Only agent_user is checked; there is no alt_user here.
    if len(call.p["agent_user"]) < 1:
        call.say(f"ERROR: agent_user not valid - {call.p['agent_user']}\n")
        return False
    return True


@host_function("agent_api", "update_fields", params=PARAMS, steps=("permission", "logged_in"), check=_valid)
def update_fields(call: AgentCall) -> None:
    user, agent_user, query = call.p["user"], call.p["agent_user"], call.query_string
    # The API user, not the agent, must be allowed to modify leads (modify_leads 1 to 4).
    call.trace(f"select count(*) from vicidial_users where user='{user}' and modify_leads IN('1','2','3','4');")
    if call.db.value("SELECT count(*) FROM vicidial_users WHERE user=? AND modify_leads IN ('1','2','3','4')",
                     user) < 1:
        call.say(f"ERROR: user is not allowed to modify lead information - {agent_user}|{user}\n")
        return
    call.trace(f"select lead_id from vicidial_live_agents where user='{agent_user}';")
    lead_id = int(call.db.value("SELECT lead_id FROM vicidial_live_agents WHERE user=?", agent_user) or 0)
    if lead_id <= 0:
        call.say(f"ERROR: agent_user does not have a lead on their screen - {agent_user}\n")
        return
    # Each field whose name appears anywhere in the query string (a value included) is set,
    # to what was sent for it or to '' when nothing was.
    fields = [(name, _value(call, name, chars, plus)) for name, chars, plus, any_case in FIELDS
              if _found(name, query, any_case)]
    triggers = [name for name in TRIGGERS if _found(name, query, True)]
    names = [name for name, _ in fields] + triggers
    for name, value in fields:
        call.trace(f"{name} set to {value}")
    for name in triggers:
        call.trace(reload_note(name))
    if not names:
        call.say(f"ERROR: no fields have been defined - {agent_user}\n")
        return
    fields_sql = ",".join(f'{name}="{value}"' for name, value in fields)   # pasted unescaped, as upstream
    fields_list = ",".join(names)
    changed_lead = 0
    if fields:
        call.comment(f"UPDATE vicidial_list set {fields_sql} where lead_id='{lead_id}';")
        changes = assignments(fields_sql)
        known = {column.name for column in _LIST.columns}
        if changes is None or any(column not in known for column, _ in changes):
            raise SqlError(f"UPDATE vicidial_list set {fields_sql} where lead_id='{lead_id}';")
        changed_lead = _update_lead(call, lead_id, changes)
    data = fit("vicidial_live_agents", "external_update_fields_data", fields_list)
    # MySQL counts the rows an UPDATE changed, not those it matched.
    rows = call.db.all("SELECT external_update_fields, external_update_fields_data FROM vicidial_live_agents "
                       "WHERE user=?", agent_user)
    changed_agent = sum(1 for flag, stored in rows if (None if flag is None else str(flag), stored) != ("1", data))
    call.comment(f"UPDATE vicidial_live_agents set external_update_fields='1',external_update_fields_data="
                 f"'{fields_list}' where user='{agent_user}';")
    call.db.write("UPDATE vicidial_live_agents SET external_update_fields='1', external_update_fields_data=? "
                  "WHERE user=?", data, agent_user)
    call.say(f"SUCCESS: update_fields lead updated - {user}|{agent_user}|{lead_id}|{changed_lead}|{changed_agent}|"
             f"{fields_list}|{fields_sql}|\n")


def _update_lead(call: AgentCall, lead_id: int, changes: list[tuple[str, str]]) -> int:
    """Store ``changes`` (column, text as MySQL read it) in the lead; 1 if the row changed, else 0."""
    stored = {}
    for column, text in changes:   # a column named twice keeps the last value
        stored[column] = stored_value(column, text)
    columns = ", ".join(call.db.quote(column) for column in stored)
    before = call.db.one(f"SELECT {columns} FROM vicidial_list WHERE lead_id=?", lead_id)
    if before is None:
        return 0
    setting = ", ".join(f"{call.db.quote(column)}=?" for column in stored)
    call.db.write(f"UPDATE vicidial_list SET {setting} WHERE lead_id=?", *stored.values(), lead_id)
    after = call.db.one(f"SELECT {columns} FROM vicidial_list WHERE lead_id=?", lead_id)
    return int(tuple(before) != tuple(after))

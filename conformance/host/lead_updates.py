"""The lead fields the Non-Agent API's update_lead and batch_update_lead set, and how MySQL stores
and counts such an update.

Upstream (www/vicidial/non_agent_api.php 2.14-202) pastes each non-empty field between double
quotes into one SET list, turns a whole value of --BLANK-- into '' and every newline of the list
into !N, and sends it unescaped: MySQL then reads backslash escapes, and a statement it cannot
parse is an error (PHP dies). The number of leads it reports is MySQL's affected rows: the rows
the update changed, not those it matched.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..tables.database import Database
from ..tables.schema import TABLES
from .mysql_text import assignments, stored
from .permission_gate import LEAD_EDITORS, Gate
from .php import PhpFatal, keep, remove

# Upstream's order of the editable fields: (parameter, column, characters kept in latin mode, or
# None for free text that loses ; # and "), and whether a + left after URL decoding is a space.
FIELDS: tuple[tuple[str, str, str | None, bool], ...] = (
    ("user_field", "user", "-_0-9a-zA-Z", False), ("list_id_field", "list_id", "0-9", False),
    ("status", "status", "-_0-9a-zA-Z", False), ("vendor_lead_code", "vendor_lead_code", None, True),
    ("source_id", "source_id", None, True), ("gmt_offset_now", "gmt_offset_now", "-_.0-9", False),
    ("title", "title", "- '_.0-9a-zA-Z", False), ("first_name", "first_name", "- '+_.0-9a-zA-Z", True),
    ("middle_initial", "middle_initial", "-_0-9a-zA-Z", False), ("last_name", "last_name", "- '+_.0-9a-zA-Z", True),
    ("address1", "address1", "- '+.:/@_0-9a-zA-Z", True), ("address2", "address2", "- '+.:/@_0-9a-zA-Z", True),
    ("address3", "address3", "- '+.:/@_0-9a-zA-Z", True), ("city", "city", "- '+.:/@_0-9a-zA-Z", True),
    ("state", "state", "- 0-9a-zA-Z", False), ("province", "province", "- '+._0-9a-zA-Z", True),
    ("postal_code", "postal_code", "- '+0-9a-zA-Z", True), ("country_code", "country_code", "-_0-9a-zA-Z", False),
    ("gender", "gender", "A-Z", False), ("date_of_birth", "date_of_birth", "-0-9", False),
    ("alt_phone", "alt_phone", "- '+_.0-9a-zA-Z", True), ("email", "email", "- '+.:/@%_0-9a-zA-Z", True),
    ("security_phrase", "security_phrase", "- '+.:/@_0-9a-zA-Z", True), ("comments", "comments", None, True),
    ("rank", "rank", "0-9", False), ("owner", "owner", "- '+.:/@_0-9a-zA-Z", True),
    ("called_count", "called_count", "0-9", False), ("phone_code", "phone_code", "0-9", False),
)
PARAMS = {name: chars for name, _, chars, _ in FIELDS}
# The gate of both functions that update leads (update_lead, batch_update_lead).
UPDATE_GATE = Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM: |{user}|{count}|\n",
                   level=(">", 7), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_EDITORS})
_LIST = TABLES["vicidial_list"]


def field_value(params: Mapping[str, str], name: str) -> str:
    """A field as upstream filters it in latin mode."""
    chars, plus = next((chars, plus) for field, _, chars, plus in FIELDS if field == name)
    value = remove(params[name], ';#"') if chars is None else keep(params[name], chars)
    return value.replace("+", " ") if plus else value


def set_list(params: Mapping[str, str], reset_lead: str, extra: Sequence[str] = ()) -> str:
    """Upstream's SET list: every non-empty field, called_since_last_reset='N' for reset_lead=Y,
    then ``extra`` (update_lead's own assignments); --BLANK-- as '' and newlines as !N."""
    parts = [f'{column}="{value}"' for name, column, _, _ in FIELDS if (value := field_value(params, name))]
    if reset_lead == "Y":
        parts.append("called_since_last_reset='N'")
    return ",".join([*parts, *extra]).replace('"--BLANK--"', '""').replace("\n", "!N")


def stored_row(set_sql: str) -> dict[str, Any]:
    """What MySQL stores for a SET list of vicidial_list columns (the last of a column wins); a list
    it cannot parse kills PHP."""
    changes = assignments(set_sql)
    known = {column.name for column in _LIST.columns}
    if changes is None or any(column not in known for column, _ in changes):
        raise PhpFatal(f"SQL syntax error in SET {set_sql}")
    return {column: stored_value(column, text) for column, text in changes}


def stored_value(column: str, text: str) -> Any:
    """What MySQL's non-strict mode stores of ``text`` in a vicidial_list column."""
    return stored("vicidial_list", column, text)


def update_leads(db: Database, set_sql: str, lead_ids: Sequence[Any]) -> int:
    """Run upstream's ``UPDATE vicidial_list SET <set_sql> WHERE lead_id IN(...)``; MySQL's affected
    rows (the leads whose stored values changed). A SET list MySQL cannot parse kills PHP."""
    stored = stored_row(set_sql)
    columns = ", ".join(db.quote(column) for column in stored)
    marks = ", ".join("?" for _ in lead_ids)
    query = f"SELECT lead_id, {columns} FROM vicidial_list WHERE lead_id IN ({marks}) ORDER BY lead_id"
    before = db.all(query, *lead_ids)
    setting = ", ".join(f"{db.quote(column)}=?" for column in stored)
    db.write(f"UPDATE vicidial_list SET {setting} WHERE lead_id IN ({marks})", *stored.values(), *lead_ids)
    after = db.all(query, *lead_ids)
    return sum(1 for old, new in zip(before, after) if tuple(old) != tuple(new))

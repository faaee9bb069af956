"""``add_did``: a new inbound DID in ``vicidial_inbound_dids``.

Upstream (www/vicidial/non_agent_api.php, add_did) asks for Agent API access, "Modify DIDs" and
user level 8 or more. The pattern takes 2 to 50 characters and must not be stored already
(compared without letter case). Each optional field sent (non-empty after its filter) is checked
in a fixed order, the first bad one refusing the whole request: a length, a set of values (compared
with letter case), or a row that must exist (a server, an in-group, a call menu, compared as the
database does). The DID is then stored with the fields sent, the rest at the column defaults
(MySQL's non-strict mode: a text cut to its column, an unknown ENUM value empty, a number its
leading digits), and one admin log row (section DIDS, type ADD) names its id. Refusals print
``: |user|value``, the success ``- user|pattern``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from .copy_did import pattern_taken

PARAMS = {"did_pattern": ":+*#._0-9a-zA-Z", "did_description": "- .,_0-9a-zA-Z", "active": "A-Z",
          "did_route": "-_0-9a-zA-Z", "record_call": "-_0-9a-zA-Z", "extension": "-_0-9a-zA-Z",
          "exten_context": "-_0-9a-zA-Z", "voicemail_ext": "*#._0-9a-zA-Z", "phone_extension": "-_0-9a-zA-Z",
          "server_ip": "-.:_0-9a-zA-Z", "group": "-|_0-9a-zA-Z", "menu_id": "-_0-9a-zA-Z",
          "filter_clean_cid_number": "- .,_0-9a-zA-Z", "call_handle_method": "_0-9a-zA-Z",
          "agent_search_method": "_0-9a-zA-Z", "list_id": "-_0-9a-zA-Z", "entry_list_id": "0-9",
          "campaign_id": "-_0-9a-zA-Z", "phone_code": "0-9"}
PATTERN_LENGTH = (2, 50)
ROUTES = ("EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST")


@dataclass(frozen=True)
class Field:
    """An optional field: the parameter, the column it sets, what it must be, and the refusal's words."""

    param: str
    column: str
    refusal: str
    length: tuple[int, int] | None = None     # both ends included, after the filter
    one_of: tuple[str, ...] | None = None     # compared with letter case
    row_in: tuple[str, str] | None = None     # (table, column) that must hold the value

    def accepts(self, call: NonAgentCall, value: str) -> bool:
        if self.length is not None:
            return self.length[0] <= len(value) <= self.length[1]
        if self.one_of is not None:
            return value in self.one_of
        table, column = self.row_in
        return int(call.db.value(f"SELECT count(*) FROM {table} WHERE {column} = ?", value) or 0) > 0


_OPTIONAL = ", THIS IS AN OPTIONAL FIELD"
# upstream's order of the checks, which is also the order of the columns in its INSERT
FIELDS = (
    Field("did_description", "did_description", "add_did DID DESCRIPTION MUST BE FROM 6 TO 50 CHARACTERS",
          length=(6, 50)),
    Field("active", "did_active", "add_did ACTIVE MUST BE Y OR N", one_of=("Y", "N")),
    Field("did_route", "did_route", "add_did DID ROUTE IS NOT VALID", one_of=ROUTES),
    Field("record_call", "record_call", "add_did RECORD CALL MUST BE Y OR N", one_of=("Y", "N", "Y_QUEUESTOP")),
    Field("extension", "extension", "add_did EXTENSION MUST BE FROM 1 TO 50 CHARACTERS", length=(1, 50)),
    Field("exten_context", "exten_context", "add_did EXTENSION CONTEXT MUST BE FROM 1 TO 50 CHARACTERS",
          length=(1, 50)),
    Field("voicemail_ext", "voicemail_ext", "add_did VOICEMAIL EXTENSION MUST BE FROM 1 TO 10 CHARACTERS",
          length=(1, 10)),
    Field("phone_extension", "phone", "add_did PHONE EXTENSION MUST BE FROM 1 TO 100 CHARACTERS", length=(1, 100)),
    Field("server_ip", "server_ip", "add_did SERVER IP MUST BE A VALID SERVER IN THE SYSTEM",
          row_in=("servers", "server_ip")),
    Field("group", "group_id", "add_did GROUP ID MUST BE A VALID INBOUND GROUP IN THE SYSTEM",
          row_in=("vicidial_inbound_groups", "group_id")),
    # upstream names update_did in this refusal
    Field("menu_id", "menu_id", "update_did MENU ID MUST BE A VALID CALL MENU IN THE SYSTEM",
          row_in=("vicidial_call_menu", "menu_id")),
    Field("filter_clean_cid_number", "filter_clean_cid_number",
          "add_did CLEAN CID NUMBER MUST BE FROM 1 TO 20 CHARACTERS", length=(1, 20)),
    Field("call_handle_method", "call_handle_method", "add_did CALL HANDLE METHOD MUST BE FROM 3 TO 20 CHARACTERS",
          length=(3, 20)),
    Field("agent_search_method", "agent_search_method", "add_did AGENT SEARCH METHOD MUST BE 2 CHARACTERS",
          length=(2, 2)),
    Field("list_id", "list_id", "add_did LIST ID MUST BE FROM 3 TO 14 DIGITS", length=(3, 14)),
    Field("entry_list_id", "entry_list_id", "add_did ENTRY LIST ID MUST BE FROM 1 TO 14 DIGITS", length=(1, 14)),
    Field("campaign_id", "campaign_id", "add_did CAMPAIGN MUST BE FROM 1 TO 8 CHARACTERS", length=(1, 8)),
    Field("phone_code", "phone_code", "add_did PHONE CODE MUST BE FROM 1 TO 10 CHARACTERS", length=(1, 10)),
)


@host_function("non_agent_api", "add_did", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD DIDS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_inbound_dids": ("1",)}))
def add_did(call: NonAgentCall) -> str:
    user, pattern = call.p["user"], call.p["did_pattern"]
    if not PATTERN_LENGTH[0] <= len(pattern) <= PATTERN_LENGTH[1]:
        return f"ERROR: add_did YOU MUST USE ALL REQUIRED FIELDS: |{user}|{pattern}\n"
    if pattern_taken(call, pattern):
        return f"ERROR: add_did DID ALREADY EXISTS: |{user}|{pattern}\n"
    columns = [("did_pattern", pattern)]
    for field in FIELDS:
        value = call.p[field.param]
        if not value:
            continue
        if not field.accepts(call, value):
            return f"ERROR: {field.refusal}{_OPTIONAL}: |{user}|{value}\n"
        columns.append((field.column, value))
    did_id = insert(call, columns)
    statement = "INSERT INTO vicidial_inbound_dids SET " + ", ".join(f"{column}='{value}'" for column, value in columns)
    log_admin_event(call, "DIDS", "ADD", str(did_id), "ADMIN API ADD DID", [statement],
                    f"did: {pattern} did_id: {did_id} inserted: 1")
    return f"SUCCESS: add_did DID HAS BEEN ADDED - {user}|{pattern}\n"


def insert(call: NonAgentCall, columns: list[tuple[str, str]]) -> int:
    """Store the DID as MySQL's non-strict mode stores each value in its column; its did_id."""
    names = ", ".join(call.db.quote(column) for column, _value in columns)
    values = [stored("vicidial_inbound_dids", column, value) for column, value in columns]
    with call.db.write_lock:
        cursor = call.db.execute(f"INSERT INTO vicidial_inbound_dids ({names}) "
                                 f"VALUES ({', '.join('?' for _ in values)})", *values)
        return cursor.lastrowid

"""``copy_did``: new inbound DIDs in ``vicidial_inbound_dids``, each a copy of an existing one.

Upstream (www/vicidial/non_agent_api.php, copy_did) asks for Agent API access, "Modify DIDs" and
user level 8 or more. The source pattern takes 2 to 50 characters and new_dids 2 to 2000; the
source must be a DID of a user group the API user's group may view (its admin_viewable_groups,
read whatever its length). Each comma-separated new DID already there (compared without letter
case) is a NOTICE; any other is copied from the source with INSERT IGNORE (a pattern cut to the
column that meets a stored one adds nothing: its id and count print 0), the description sent
(6 to 50 characters, checked only when a DID is about to be copied) or the source's. One admin
log row (section DIDS, type COPY) closes the loop, then SUCCESS if any DID was added.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups_of_any_length

PARAMS = {"source_did_pattern": ":+*#._0-9a-zA-Z", "new_dids": ":+,*#._0-9a-zA-Z", "did_description": "- .,_0-9a-zA-Z"}
SOURCE_LENGTH = (2, 50)
NEW_DIDS_LENGTH = (2, 2000)
DESCRIPTION_LENGTH = (6, 50)
# The columns a copy takes from its source, in upstream's order (the did_pattern is the new one's).
COPIED = ("did_description", "did_active", "did_route", "extension", "exten_context", "voicemail_ext", "phone",
          "server_ip", "user", "user_unavailable_action", "user_route_settings_ingroup", "group_id",
          "call_handle_method", "agent_search_method", "list_id", "campaign_id", "phone_code", "menu_id",
          "record_call", "filter_inbound_number", "filter_phone_group_id", "filter_url", "filter_action",
          "filter_extension", "filter_exten_context", "filter_voicemail_ext", "filter_phone", "filter_server_ip",
          "filter_user", "filter_user_unavailable_action", "filter_user_route_settings_ingroup", "filter_group_id",
          "filter_call_handle_method", "filter_agent_search_method", "filter_list_id", "filter_campaign_id",
          "filter_phone_code", "filter_menu_id", "filter_clean_cid_number", "custom_one", "custom_two",
          "custom_three", "custom_four", "custom_five", "user_group", "filter_dnc_campaign",
          "filter_url_did_redirect", "no_agent_ingroup_redirect", "no_agent_ingroup_id",
          "no_agent_ingroup_extension", "pre_filter_phone_group_id", "pre_filter_extension", "entry_list_id",
          "filter_entry_list_id", "max_queue_ingroup_calls", "max_queue_ingroup_id", "max_queue_ingroup_extension",
          "did_carrier_description")


def within(text: str, bounds: tuple[int, int]) -> bool:
    """Is the text's length inside ``bounds`` (both ends included)?"""
    return bounds[0] <= len(text) <= bounds[1]


@host_function("non_agent_api", "copy_did", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD DIDS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_inbound_dids": ("1",)}))
def copy_did(call: NonAgentCall) -> str:
    user, source, new_dids = call.p["user"], call.p["source_did_pattern"], call.p["new_dids"]
    description = call.p["did_description"]
    if not within(source, SOURCE_LENGTH) or not within(new_dids, NEW_DIDS_LENGTH):
        return f"ERROR: copy_did YOU MUST USE ALL REQUIRED FIELDS: |{user}|{source}|{new_dids}\n"
    if not source_visible(call, source):
        return f"ERROR: copy_did SOURCE DID DOES NOT EXIST: |{user}|{source}\n"
    printed, copy_log = [], []
    inserts = errors = 0
    did_id, statement = "", ""
    for did in new_dids.split(","):
        statement = f"SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern='{did}'"
        if pattern_taken(call, did):
            printed.append(f"NOTICE: copy_did DID ALREADY EXISTS - {user}|{did}\n")
            copy_log.append(f"{did} ALREADY EXISTS\n")
            errors += 1
            continue
        if description and not within(description, DESCRIPTION_LENGTH):
            return "".join(printed) + ("ERROR: copy_did DID DESCRIPTION MUST BE EITHER BLANK OR FROM 6 TO 50 "
                                       f"CHARACTERS, THIS IS AN OPTIONAL FIELD: |{user}|{description}\n")
        added, did_id = copy_row(call, source, did, description)
        quoted_description = f"'{description}'" if description else "did_description"
        statement = (f"INSERT IGNORE INTO vicidial_inbound_dids (did_pattern, {', '.join(COPIED)}) SELECT '{did}', "
                     f"{quoted_description}, ... FROM vicidial_inbound_dids "
                     f"WHERE did_pattern='{source}'")
        inserts += added
        copy_log.append(f"{did} ADDED, did_id: {did_id}\n")
        printed.append(f"NOTICE: copy_did DID HAS BEEN ADDED - {user}|{did}|{source}|{did_id}|{added}\n")
    notes = f"DID Source: {source} Inserts: {inserts} Insert Errors: {errors} Copy Log:\n{''.join(copy_log)}"
    log_admin_event(call, "DIDS", "COPY", str(did_id), "ADMIN API COPY DIDS", [statement], notes)
    if inserts > 0:
        return "".join(printed) + f"SUCCESS: copy_did DIDS HAVE BEEN ADDED - {user}|{source}|{inserts}|{errors}\n"
    return "".join(printed) + f"ERROR: copy_did NO DIDS ADDED - {user}|{source}|{inserts}|{errors}\n"


def source_visible(call: NonAgentCall, source: str) -> bool:
    """Is ``source`` a DID of a user group the API user's group may view?"""
    _campaigns, viewable = group_texts(call.db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups_of_any_length(viewable))
    return int(call.db.value(f"SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern = ?{scope}",
                             source, *args) or 0) > 0


def pattern_taken(call: NonAgentCall, did: str) -> bool:
    """Does vicidial_inbound_dids hold ``did`` (compared as the database does, without letter case)?"""
    return int(call.db.value("SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern = ?", did) or 0) > 0


def copy_row(call: NonAgentCall, source: str, did: str, description: str) -> tuple[int, int]:
    """Copy the source's row as ``did`` (cut to the column); (rows added, the new did_id), (0, 0)
    when the cut pattern is already stored (upstream's INSERT IGNORE then adds nothing)."""
    kept = stored("vicidial_inbound_dids", "did_pattern", did)
    columns = ", ".join(call.db.quote(column) for column in COPIED)
    with call.db.write_lock:
        row = call.db.one(f"SELECT {columns} FROM vicidial_inbound_dids WHERE did_pattern = ?", source)
        if row is None or pattern_taken(call, kept):
            return 0, 0
        values = (description if description else row[0], *row[1:])
        cursor = call.db.execute(f"INSERT INTO vicidial_inbound_dids (did_pattern, {columns}) "
                                 f"VALUES (?, {', '.join('?' for _ in COPIED)})", kept, *values)
        return 1, cursor.lastrowid

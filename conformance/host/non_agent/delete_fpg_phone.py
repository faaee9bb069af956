"""``delete_fpg_phone``: a phone number out of a filter phone group.

Upstream (www/vicidial/non_agent_api.php, delete_fpg_phone) asks for ``modify_lists`` and user
level 8 or more (not ``delete_from_dnc``, unlike delete_dnc_phone); the number must keep 6
characters after its filter and ``group`` one; the group must exist and hold the number. The
number is deleted and the admin log notes the number, the group as sent and the rows deleted.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..filter_phone_groups import delete_number, group_exists, number_listed
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"phone_number": ",0-9", "group": "-|_0-9a-zA-Z"}


@host_function("non_agent_api", "delete_fpg_phone", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO DELETE FILTER PHONE GROUP NUMBERS: "
                         "|{user}|{count}\n", level=(">=", 8), flags={"modify_lists": ("1",)}))
def delete_fpg_phone(call: NonAgentCall) -> str:
    user, phone, group = call.p["user"], call.p["phone_number"], call.p["group"]
    if len(phone) < 6 or len(group) < 1:
        return f"ERROR: delete_fpg_phone YOU MUST USE ALL REQUIRED FIELDS: |{user}|{phone}|{group}\n"
    if not group_exists(call, group):
        return f"ERROR: delete_fpg_phone FILTER PHONE GROUP DOES NOT EXIST: |{user}|{group}\n"
    if not number_listed(call, phone, group):
        return f"ERROR: delete_fpg_phone FILTER PHONE GROUP NUMBER DOES NOT EXIST: |{user}|{phone}|{group}\n"
    deleted, statement = delete_number(call, phone, group)
    log_admin_event(call, "FILTERPHONEGROUPS", "DELETE", phone,
                    f"ADMIN API DELETE NUMBER FROM FILTER PHONE GROUP {group}", [statement], f"{phone}|{group}|{deleted}")
    return f"SUCCESS: delete_fpg_phone FILTER PHONE GROUP NUMBER HAS BEEN DELETED - {user}|{phone}|{group}\n"

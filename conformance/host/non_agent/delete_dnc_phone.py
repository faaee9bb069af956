"""``delete_dnc_phone``: a phone number out of the system DNC list or a campaign's.

Upstream (www/vicidial/non_agent_api.php, delete_dnc_phone) asks for ``modify_lists``,
``delete_from_dnc`` and user level 8 or more; the number must keep 6 characters after its filter
and ``campaign_id`` one. A listed number is deleted, the deletion logged in vicidial_dnc_log
and in the admin log (notes: number, campaign as sent, rows deleted, log rows added).
"""

from __future__ import annotations

from .. import dnc_lists
from ..admin_log import log_admin_event
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"phone_number": ",0-9", "campaign_id": "-_0-9a-zA-Z"}


@host_function("non_agent_api", "delete_dnc_phone", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO DELETE DNC NUMBERS: |{user}|{count}\n",
                         level=(">=", 8), flags={"modify_lists": ("1",), "delete_from_dnc": ("1",)}))
def delete_dnc_phone(call: NonAgentCall) -> str:
    user, phone, campaign = call.p["user"], call.p["phone_number"], call.p["campaign_id"]
    if len(phone) < 6 or len(campaign) < 1:
        return f"ERROR: delete_dnc_phone YOU MUST USE ALL REQUIRED FIELDS: |{user}|{phone}|{campaign}\n"
    if dnc_lists.listed(call, phone, campaign) < 1:
        return f"ERROR: delete_dnc_phone DNC NUMBER DOES NOT EXIST: |{user}|{phone}|{campaign}\n"
    deleted, statement = dnc_lists.remove(call, phone, campaign)
    logged, log_statement = dnc_lists.log_change(call, phone, campaign, "delete")
    log_admin_event(call, "LISTS", "DELETE", phone, "ADMIN API DELETE DNC NUMBER", [statement, log_statement],
                    f"{phone}|{campaign}|{deleted}|{logged}")
    return f"SUCCESS: delete_dnc_phone DNC NUMBER HAS BEEN DELETED - {user}|{phone}|{campaign}\n"

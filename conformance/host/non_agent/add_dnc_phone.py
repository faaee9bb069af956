"""``add_dnc_phone``: a phone number into the system DNC list or a campaign's.

Upstream (www/vicidial/non_agent_api.php, add_dnc_phone) asks for ``modify_lists`` and user
level 8 or more; the number must keep 6 characters after its filter and ``campaign_id`` one.
A new number is stored, logged in vicidial_dnc_log and in the admin log (notes: number,
campaign as sent, rows added to the list and to the DNC log). Refusals print ``: |user|...``,
the success ``- user|...``.
"""

from __future__ import annotations

from .. import dnc_lists
from ..admin_log import log_admin_event
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"phone_number": ",0-9", "campaign_id": "-_0-9a-zA-Z"}


@host_function("non_agent_api", "add_dnc_phone", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD DNC NUMBERS: |{user}|{count}\n",
                         level=(">=", 8), flags={"modify_lists": ("1",)}))
def add_dnc_phone(call: NonAgentCall) -> str:
    user, phone, campaign = call.p["user"], call.p["phone_number"], call.p["campaign_id"]
    if len(phone) < 6 or len(campaign) < 1:
        return f"ERROR: add_dnc_phone YOU MUST USE ALL REQUIRED FIELDS: |{user}|{phone}|{campaign}\n"
    if dnc_lists.listed(call, phone, campaign) > 0:
        return f"ERROR: add_dnc_phone DNC NUMBER ALREADY EXISTS: |{user}|{phone}|{campaign}\n"
    added, inserted = dnc_lists.add(call, phone, campaign)
    logged, log_statement = dnc_lists.log_change(call, phone, campaign, "add")
    log_admin_event(call, "LISTS", "ADD", phone, "ADMIN API ADD DNC NUMBER", [inserted, log_statement],
                    f"{phone}|{campaign}|{added}|{logged}")
    return f"SUCCESS: add_dnc_phone DNC NUMBER HAS BEEN ADDED - {user}|{phone}|{campaign}\n"

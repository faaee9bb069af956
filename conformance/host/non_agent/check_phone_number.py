"""``check_phone_number``: is a phone number valid, off the DNC lists, and where is it in time.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) check_phone_number. The API user needs
Agent API access and a level above 7 (the refusal prints an unset variable: nothing). The call
time must exist; then, in order: the number's length (6 to 16 characters after its filter,
which keeps commas), its 4th character below 2 (usacan_prefix_check=Y), its area code among the
host's country-1 phone codes (usacan_areacode_check=Y), the system DNC list and the campaign's
(dnc_check, campaign_dnc_check Y or AREACODE, which also looks for the area code's
312XXXXXXX entry; a campaign's use_other_campaign_dnc names the list to read). The answer is then
one "METHOD: dialable|gmt#" part per time zone method named in tz_method (default AREACODE),
and the number's facts.

The NANPA options (nanpa_ac_prefix_check=Y, a NANPA method) first need 10 rows of NANPA prefix
data, else they are refused with the host's row count; with them the area code and prefix must
be listed. Each method's offset and dialable flag come from call_times (the dialable flag from
the clock, so the spec names call times whose answer does not depend on it).
"""

from __future__ import annotations

import re

from ..call_times import dialable_now, gmt_offset
from ..dnc_lists import in_campaign_list, in_system_list
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import compare, keep
from ..registry import host_function

PARAMS = {"phone_number": ",0-9", "phone_code": "0-9", "local_call_time": "-_0-9a-zA-Z", "tz_method": "-_0-9a-zA-Z",
          "postal_code": "- '+0-9a-zA-Z", "state": "- 0-9a-zA-Z", "owner": "- '+.:/@_0-9a-zA-Z",
          "campaign_id": "-_0-9a-zA-Z", "dnc_check": "A-Z", "campaign_dnc_check": "A-Z", "usacan_prefix_check": "A-Z",
          "usacan_areacode_check": "A-Z", "nanpa_ac_prefix_check": "A-Z"}
_ALWAYS = ("phone_number", "phone_code", "tz_method", "dnc_check", "campaign_dnc_check", "usacan_prefix_check",
           "usacan_areacode_check", "nanpa_ac_prefix_check")   # filtered whatever use_non_latin says


@host_function("non_agent_api", "check_phone_number", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO CHECK PHONE NUMBERS: |{user}||\n",
                         level=(">", 7), flags={"vdc_agent_api_access": ("1",)}))
def check_phone_number(call: NonAgentCall) -> str:
    p = {name: keep(call.p[name], PARAMS[name]) if name in _ALWAYS else call.p[name] for name in PARAMS}
    user, phone, call_time = call.p["user"], p["phone_number"], p["local_call_time"]
    if int(call.db.value("SELECT count(*) FROM vicidial_call_times WHERE call_time_id=?", call_time) or 0) < 1:
        return f"ERROR: check_phone_number THIS IS NOT A VALID CALL TIME: |{user}|{call_time}|\n"
    phone_code = p["phone_code"] or "1"
    tz_method = p["tz_method"] or "AREACODE"
    if p["nanpa_ac_prefix_check"] == "Y" or re.search("NANPA", tz_method, re.IGNORECASE):
        loaded = int(call.db.value("SELECT count(*) FROM vicidial_nanpa_prefix_codes") or 0)
        if loaded < 10:
            return f"ERROR: check_phone_number NANPA options disabled, NANPA prefix data not loaded - {loaded}|{user}\n"
    refusal = _invalid(call, phone, p)
    if refusal is not None:
        return f"ERROR: check_phone_number {refusal} - {phone}|{user}\n"
    for listed, reason, tail in (
            (_in_system_dnc(call, phone, p["dnc_check"]), "PHONE NUMBER IN DNC", ""),
            (_in_campaign_dnc(call, phone, p["campaign_dnc_check"], p["campaign_id"]), "PHONE NUMBER IN CAMPAIGN DNC",
             f"{p['campaign_id']}|")):
        if listed:
            return f"ERROR: check_phone_number {reason} - {phone}|{tail}{user}\n"
    postal, owner = p["postal_code"].replace("+", " "), p["owner"].replace("+", " ")
    parts = []
    for method, looks_up in (("AREACODE", True), ("POSTAL", 4 < len(postal) < 6), ("TZCODE", 0 < len(owner) < 7),
                             ("NANPA", True)):
        if re.search(method, tz_method, re.IGNORECASE):
            offset, dialable = "", 0
            if looks_up:
                offset = gmt_offset(call.db, phone, phone_code, "" if method == "AREACODE" else method, postal, owner,
                                    epoch=call.epoch, state=p["state"],
                                    prefix=phone[3:4] if p["usacan_prefix_check"] == "Y" else None)
                dialable = dialable_now(call.db, call.epoch, call_time, offset, p["state"])
            parts.append(f"{method}: {dialable}|{offset}#")
    return "".join(parts) + f"PHONE: {phone}|{phone_code}|{postal}|{p['state']}|{owner}|\n"


def _invalid(call: NonAgentCall, phone: str, p: dict[str, str]) -> str | None:
    """Why the number is not valid (upstream's checks in its order), or None."""
    if len(phone) < 6 or len(phone) > 16:
        return "INVALID PHONE NUMBER LENGTH"
    if p["usacan_prefix_check"] == "Y" and compare(phone[3:4], 2) < 0:   # PHP 8: "," < 2 as texts
        return "INVALID PHONE NUMBER PREFIX"
    if p["usacan_areacode_check"] == "Y" and int(call.db.value(
            "SELECT count(*) FROM vicidial_phone_codes WHERE areacode=? AND country_code='1'", phone[:3]) or 0) < 1:
        return "INVALID PHONE NUMBER AREACODE"
    if p["nanpa_ac_prefix_check"] == "Y" and int(call.db.value(
            "SELECT count(*) FROM vicidial_nanpa_prefix_codes WHERE areacode=? AND prefix=?", phone[:3], phone[3:6]) or 0) < 1:
        return "INVALID PHONE NUMBER NANPA AREACODE PREFIX"
    return None


def _in_system_dnc(call: NonAgentCall, phone: str, check: str) -> bool:
    return in_system_list(call, phone, check)


def _in_campaign_dnc(call: NonAgentCall, phone: str, check: str, campaign: str) -> bool:
    return in_campaign_list(call, phone, check, campaign)

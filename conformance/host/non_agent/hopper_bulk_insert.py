"""``hopper_bulk_insert``: a list of lead ids into the hopper of each lead's list's campaign.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) hopper_bulk_insert. The API user needs
Agent API access, modify_campaigns and a level above 7. Leads are looked up together (newest id
first, at most 1000) among the lists of the user's group's allowed campaigns (a group without a
row allows none); then each requested id, in the order sent, gets one NOTICE line: already in the
hopper (any campaign, any status), its list's campaign missing (followed by a second line, LEAD
NOT FOUND, as upstream's loop goes on after it), outside its local call time (only with
hopper_local_call_time_check=Y), added (a READY row, source P), or not found (an id matched
textually: 0123 finds lead 123 in the database but not in the loop). A last line counts them.
An empty id between commas is an SQL error upstream: PHP dies (HTTP 500) before printing.
The call time check is call_times.dialable_now (with the lead's state call time).
"""

from __future__ import annotations

import re
from typing import Any

from ..call_times import dialable_now
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal, compare, keep
from ..registry import host_function

# Upstream filters these three whatever use_non_latin says (before its latin/non-latin split).
PARAMS = {"lead_ids": ",0-9", "hopper_priority": "-0-9", "hopper_local_call_time_check": "A-Z"}
LEAD_LIMIT = 1000           # the lead lookup's LIMIT
LIST_LIMIT = 10000          # the allowed lists' LIMIT
_INT_MAX = 2 ** 63 - 1


@host_function("non_agent_api", "hopper_bulk_insert", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE HOPPER: "
                         "|{user}|{count}|\n", level=(">", 7),
                         flags={"vdc_agent_api_access": ("1",), "modify_campaigns": ("1",)}))
def hopper_bulk_insert(call: NonAgentCall) -> str:
    user = call.p["user"]
    lead_ids = keep(call.p["lead_ids"], ",0-9")
    priority = bounded_priority(keep(call.p["hopper_priority"], "-0-9"))
    check_time = keep(call.p["hopper_local_call_time_check"], "A-Z") == "Y"
    requested = lead_ids.split(",")
    if "" in requested:   # IN() or IN(1,,2): MySQL refuses the statement
        raise PhpFatal(f"SQL syntax error near lead_id IN({lead_ids})")
    found = _leads(call, requested)
    notices: list[str] = []
    added = errors = not_found = 0
    hopper_id: Any = ""
    for wanted in requested:
        lead = next((row for row in found if str(row[0]) == wanted), None)
        if lead is None:
            not_found += 1
            notices.append(f"NOT ADDED TO HOPPER, LEAD NOT FOUND - {wanted}")
            continue
        lead_id, list_id, gmt, phone, _code, _vendor, state = lead
        if int(call.db.value("SELECT count(*) FROM vicidial_hopper WHERE lead_id=?", lead_id) or 0) > 0:
            errors += 1
            notices.append(f"NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER - {lead_id}")
            continue
        campaign = call.db.one("SELECT c.local_call_time, l.local_call_time, c.campaign_id FROM vicidial_campaigns c, "
                               "vicidial_lists l WHERE l.list_id=? AND upper(rtrim(c.campaign_id))="
                               "upper(rtrim(l.campaign_id))", list_id)
        if campaign is None:   # upstream's loop goes on, so the lead is also reported not found
            errors += 1
            not_found += 1
            notices.append(f"CAMPAIGN DOES NOT EXIST - {list_id}|{lead_id}")
            notices.append(f"NOT ADDED TO HOPPER, LEAD NOT FOUND - {wanted}")
            continue
        call_time, list_call_time, campaign_id = campaign
        if list_call_time and not re.fullmatch(r"campaign\n?", list_call_time, re.IGNORECASE):
            call_time = list_call_time
        dialable = dialable_now(call.db, call.epoch, call_time or "", gmt, state or "") if check_time else 1
        if dialable < 1:
            errors += 1
            notices.append(f"NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME, - {lead_id}|{_decimal(gmt)}|{state or ''}|"
                           f"{dialable}")
            continue
        hopper_id = insert_hopper_row(call, lead, campaign_id, priority)
        added += 1
        notices.append(f"LEAD ADDED TO HOPPER - {phone}|{lead_id}|{hopper_id}|{user}")
    lines = "".join(f"NOTICE: hopper_bulk_insert {notice}\n" for notice in notices)
    if added > 0:
        return lines + f"SUCCESS: hopper_bulk_insert LEADS HAVE BEEN INSERTED INTO THE HOPPER - " \
                       f"{added}|{errors}|{hopper_id}|{user}\n"
    return lines + f"ERROR: hopper_bulk_insert NO LEADS HAVE BEEN INSERTED INTO THE HOPPER - {errors}|{not_found}|{user}\n"


def insert_hopper_row(call: NonAgentCall, lead: tuple, campaign_id: str, priority: int) -> Any:
    """A READY row (source P, no user) for the lead in the campaign's hopper; its hopper_id."""
    lead_id, list_id, gmt, _phone, _code, vendor, state = lead
    with call.db.write_lock:
        cursor = call.db.execute(
            "INSERT INTO vicidial_hopper (lead_id, campaign_id, status, list_id, gmt_offset_now, state, user, "
            "priority, source, vendor_lead_code) VALUES (?, ?, 'READY', ?, ?, ?, '', ?, 'P', ?)",
            lead_id, campaign_id, list_id, gmt if gmt is not None else 0, state or "", priority, vendor or "")
        return cursor.lastrowid


def _leads(call: NonAgentCall, requested: list[str]) -> list[tuple]:
    """The requested leads in the allowed lists, newest id first, as upstream's one lookup finds them."""
    ids = [int(text) for text in requested if int(text) <= _INT_MAX] or [-1]   # a bigger id matches no lead
    lists = _allowed_lists(call)
    allowed_sql = "" if lists is None else f" AND list_id IN ({', '.join('?' for _ in lists)})"
    return call.db.all(f"SELECT lead_id, list_id, gmt_offset_now, phone_number, phone_code, vendor_lead_code, state "
                       f"FROM vicidial_list WHERE lead_id IN ({', '.join('?' for _ in ids)}){allowed_sql} "
                       f"ORDER BY lead_id DESC LIMIT {LEAD_LIMIT}", *ids, *(lists or ()))


def _allowed_lists(call: NonAgentCall) -> list[Any] | None:
    """The lists of the API user's group's allowed campaigns (None: every list, upstream's -ALL);
    with none, upstream asks for list 9."""
    group = call.db.value("SELECT user_group FROM vicidial_users WHERE user=? AND vdc_agent_api_access='1' "
                          "AND user_level >= 8", call.p["user"])
    allowed = call.db.value("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group=?", group or "") or ""
    if re.search("-ALL", allowed, re.IGNORECASE):
        return None
    campaigns = [name.rstrip(" ").upper() for name in allowed.replace(" -", "").split(" ")]
    rows = call.db.all(f"SELECT list_id FROM vicidial_lists WHERE upper(rtrim(campaign_id)) IN "
                       f"({', '.join('?' for _ in campaigns)}) LIMIT {LIST_LIMIT}", *campaigns)
    return [list_id for (list_id,) in rows] or [9]


def bounded_priority(text: str) -> int:
    """hopper_priority as upstream bounds it (PHP 8 comparisons: '-' is below -99 as a string) and
    MySQL's TINYINT keeps it (the leading number of the text, else 0)."""
    if text == "":
        return 0
    if compare(text, -99) < 0:
        return -99
    if compare(text, 99) > 0:
        return 99
    number = re.match(r"-?\d+", text)
    return int(number.group()) if number else 0


def _decimal(value: Any) -> Any:
    """A DECIMAL(4,2) as MySQL prints it (SQLite hands back a float), NULL as PHP prints it."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, (float, int)) else value

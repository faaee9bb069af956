"""``lead_search``: lead ids by phone number (or lead id, or vendor_lead_code), one line per number asked.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) lead_search: the first method that
finds leads wins (lead id, then vendor_lead_code, then phone number), newest lead first and at
most ``records`` of them; then one line per phone number and per vendor_lead_code asked,
whichever method found the leads. The header's delimiter is a variable the block never sets,
so its columns run together. A list id confines the search to its list or its campaign's lists.
"""

from __future__ import annotations

from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_READERS, Gate
from ..php import PhpFatal, keep, loose_equals, remove
from ..registry import host_function

# Upstream's filters, which apply in both latin modes; the handler applies them itself, since the
# preamble leaves a function's parameters as sent in non-latin mode (vendor_lead_code: ; # " are
# dropped and + read as a space; header keeps letters and digits).
FILTERS = {"list_id": "-_0-9a-zA-Z", "lead_id": "0-9", "lead_ids": ",0-9", "phone_number": ",0-9",
           "vendor_lead_code": None, "search_method": "-_0-9a-zA-Z", "search_location": "A-Z",
           "records": "0-9", "header": "0-9a-zA-Z"}
PARAMS = dict(FILTERS)
HEADER = "search_key" + "records_found" + "lead_ids" + "\n"   # upstream's $DL is unset here
PHONE_LENGTHS = range(6, 19)


class InvalidSql(PhpFatal):
    """The statement upstream builds is not valid SQL (an empty IN list or condition): mysqli throws."""


@host_function("non_agent_api", "lead_search", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO SEARCH FOR LEADS: |{user}|{count}|\n",
                         level=(">", 7), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_READERS}),
               list_restricted=True)
def lead_search(call: NonAgentCall) -> str:
    p = {name: call.p[name] if chars is None else keep(call.p[name], chars) for name, chars in FILTERS.items()}
    user, list_id = call.p["user"], keep(p["list_id"], "0-9")
    vendor = remove(p["vendor_lead_code"], ';#"').replace("+", " ")
    lead_id, phones = p["lead_id"], p["phone_number"]
    method = p["search_method"] if len(p["search_method"]) >= 6 else "PHONE_NUMBER"
    location = p["search_location"]
    if len(location) < 4 or _below_99(list_id) or len(list_id) < 3:
        location = "SYSTEM"
    records = p["records"] or "1000"
    by_lead = "LEAD_ID" in method and len(lead_id) > 0
    by_vendor = "VENDOR_LEAD_CODE" in method and len(vendor) > 0
    by_phone = "PHONE_NUMBER" in method and len(phones) > 5
    vendors = [code for code in vendor.split(",") if code] if by_vendor else []
    numbers = [number for number in phones.split(",") if len(number) in PHONE_LENGTHS] if by_phone else []
    if not (by_lead or by_vendor or by_phone):
        return (f"ERROR: lead_search NO VALID SEARCH METHOD - {user}|{method}|{lead_id}({int(by_lead)})|"
                f"{vendor}({int(by_vendor)})|{phones}({int(by_phone)})\n")
    if call.list_restricted and list_id and int(list_id) >= 99 and f" {list_id} " not in _spaced(call.allowed_lists):
        return f"ERROR: lead_search NOT AN ALLOWED LIST ID - {phones}|{list_id}\n"
    scope, scope_args = _scope(call, location, list_id)
    found = _search(call, p["lead_ids"] if by_lead else None, vendors if by_vendor else None,
                    numbers if by_phone else None, scope, scope_args, int(records))
    if not found:
        return f"ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |{user}|{lead_id}|{vendor}|{phones}\n"
    output = HEADER if p["header"] == "YES" else ""
    for asked in numbers + vendors:
        matches = [str(found_id) for key, found_id in found if loose_equals(key, asked)]
        output += f"{asked}|{len(matches)}|{'-'.join(matches)}\n"
    return output


def _below_99(list_id: str) -> bool:
    """PHP 8's ``$list_id < 99``: an empty string compares as text ("" < "99"), digits as a number."""
    return list_id == "" or int(list_id) < 99


def _spaced(lists: tuple[str, ...]) -> str:
    return " " + "".join(f"{list_id} " for list_id in lists)


def _scope(call: NonAgentCall, location: str, list_id: str) -> tuple[str, list]:
    """The list condition: the list alone (LIST), its campaign's lists (CAMPAIGN), or none."""
    scope, args = "", []
    if "CAMPAIGN" in location.upper():
        row = call.db.one("SELECT campaign_id FROM vicidial_lists WHERE list_id=?", list_id)
        if row is not None:
            lists = [found for (found,) in call.db.all("SELECT list_id FROM vicidial_lists WHERE campaign_id=?",
                                                      row[0])]
            if lists:
                scope, args = f" AND list_id IN ({', '.join('?' for _ in lists)})", lists
    if "LIST" in location.upper():
        scope, args = " AND list_id=?", [list_id]
    return scope, args


def _search(call: NonAgentCall, lead_ids: str | None, vendors: list[str] | None, numbers: list[str] | None,
            scope: str, scope_args: list, records: int) -> list[tuple[str, int]]:
    """(search key, lead_id) of the leads found by the first method that finds any, newest first."""
    order = f"{scope} ORDER BY lead_id DESC LIMIT {records}"
    if lead_ids is not None:
        ids = lead_ids.split(",")
        if not all(ids):
            raise InvalidSql(lead_ids)
        rows = call.db.all(f"SELECT lead_id, lead_id FROM vicidial_list WHERE lead_id IN "
                           f"({', '.join('?' for _ in ids)}){order}", *(int(i) for i in ids), *scope_args)
        if rows:
            return [(str(key), found) for key, found in rows]
    if vendors is not None:
        if not vendors:
            raise InvalidSql("vendor_lead_code")
        rows = call.db.all(f"SELECT vendor_lead_code, lead_id FROM vicidial_list WHERE upper(rtrim(vendor_lead_code)) "
                           f"IN ({', '.join('?' for _ in vendors)}){order}",
                           *(code.rstrip(" ").upper() for code in vendors), *scope_args)
        if rows:
            return rows
    if numbers is not None:
        if not numbers:
            raise InvalidSql("phone_number")
        return call.db.all(f"SELECT phone_number, lead_id FROM vicidial_list WHERE phone_number "
                           f"IN ({', '.join('?' for _ in numbers)}){order}", *numbers, *scope_args)
    return []


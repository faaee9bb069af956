"""``add_lead``: a new lead in vicidial_list, after the checks its settings ask for.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) add_lead. The API user needs Agent API
access, modify_leads 1 to 4 and a level above 7; a list-restricted user only the lists of its
group's campaigns. Then, in upstream's order: the list must exist (list_exists_check), the number
be 6 to 16 characters (digits and commas) and pass the USA/Canada prefix, area code and NANPA
checks asked for, stay off the system and campaign DNC lists, and match no lead of the duplicate
checks named in duplicate_check (each optionally limited to leads entered in the last N days).
The lead is stored with the fields sent, as MySQL's non-strict mode reads upstream's INSERT
(a value that breaks the statement is an SQL error: PHP dies), and the answer echoes its
database-assigned id and GMT offset. Then, as asked: the alt phones (alt_phones.py), custom field
values (read by their labels from the request as sent), the hopper (call_times.dialable_now), a
scheduled callback. The GMT offset is call_times.gmt_offset's (upstream's lookup, gmt_lookup.py);
lookup_state=Y fills an empty state from the phone code's row of the number's area code.
Not reproduced: encrypted custom fields, the new-lead URL.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..alt_phones import FILTER as ALT_PHONES_FILTER
from ..alt_phones import load_alt_phones
from ..call_times import dialable_now, gmt_offset
from ..dnc_lists import in_campaign_list, in_system_list
from ..mysql_text import assignments, single_literal, stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import LEAD_EDITORS, Gate
from ..php import PhpFatal, compare, keep, loose_equals, remove
from ..registry import host_function
from .hopper_bulk_insert import bounded_priority, insert_hopper_row
from .custom_values import insert_values, sent_values

# Upstream's filters (latin mode); None: free text (; # " removed, + read as a space, below).
FIELDS = {"vendor_lead_code": None, "source_id": None, "title": "- '_.0-9a-zA-Z", "first_name": "- '+_.0-9a-zA-Z",
          "middle_initial": "-_0-9a-zA-Z", "last_name": "- '+_.0-9a-zA-Z", "address1": "- '+.:/@_0-9a-zA-Z",
          "address2": "- '+.:/@_0-9a-zA-Z", "address3": "- '+.:/@_0-9a-zA-Z", "city": "- '+.:/@_0-9a-zA-Z",
          "state": "- 0-9a-zA-Z", "province": "- '+._0-9a-zA-Z", "postal_code": "- '+0-9a-zA-Z",
          "country_code": "-_0-9a-zA-Z", "gender": "A-Z", "date_of_birth": "-0-9", "alt_phone": "- '+_.0-9a-zA-Z",
          "email": "- '+.:/@%_0-9a-zA-Z", "security_phrase": "- '+.:/@_0-9a-zA-Z", "comments": None, "rank": "0-9",
          "owner": "- '+.:/@_0-9a-zA-Z"}
PLUS_IS_SPACE = ("vendor_lead_code", "source_id", "first_name", "last_name", "address1", "address2", "address3",
                 "city", "province", "postal_code", "alt_phone", "email", "security_phrase", "comments", "owner")
SETTINGS = {"phone_number": ",0-9", "phone_code": "0-9", "list_id": "-_0-9a-zA-Z", "entry_list_id": "0-9",
            "campaign_id": "-_0-9a-zA-Z", "dnc_check": "A-Z", "campaign_dnc_check": "A-Z", "add_to_hopper": "A-Z",
            "hopper_priority": "-0-9", "hopper_local_call_time_check": "A-Z", "duplicate_check": "-_0-9a-zA-Z",
            "usacan_prefix_check": "A-Z", "usacan_areacode_check": "A-Z", "nanpa_ac_prefix_check": "A-Z",
            "custom_fields": "0-9a-zA-Z", "tz_method": "-_0-9a-zA-Z", "callback": "A-Z",
            "callback_status": "-_0-9a-zA-Z", "callback_datetime": "- +.:/@_0-9a-zA-Z", "callback_type": "A-Z",
            "callback_user": "-_0-9a-zA-Z", "callback_comments": "- +.:/@_0-9a-zA-Z", "lookup_state": "A-Z",
            "list_exists_check": "0-9a-zA-Z", "remove_from_hopper": "0-9a-zA-Z", "multi_alt_phones": ALT_PHONES_FILTER}
PARAMS = {**FIELDS, **SETTINGS}
# Upstream's INSERT, in its order (each "column" from the field of that name unless said here).
COLUMNS = ("phone_code", "phone_number", "list_id", "status", "user", "vendor_lead_code", "source_id",
           "gmt_offset_now", "title", "first_name", "middle_initial", "last_name", "address1", "address2", "address3",
           "city", "state", "province", "postal_code", "country_code", "gender", "date_of_birth", "alt_phone", "email",
           "security_phrase", "comments", "called_since_last_reset", "entry_date", "last_local_call_time", "rank",
           "owner")
DAYS = (1, 2, 3, 7, 14, 15, 21, 28, 30, 60, 90, 180, 360)   # the X-day suffixes, in upstream's order
# The duplicate checks in upstream's order: name, the columns matched, the scope, the answer's reason
# and what its data prints after the values matched (lead, list, type).
DUPLICATES = (
    ("DUPLIST", ("phone_number",), "list", "DUPLICATE PHONE NUMBER IN LIST", ("lead",)),
    ("DUPCAMP", ("phone_number",), "campaign", "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS", ("lead", "list")),
    ("DUPSYS", ("phone_number",), "system", "DUPLICATE PHONE NUMBER IN SYSTEM", ("lead", "list")),
    ("DUPPHONEALTLIST", ("phone_or_alt",), "list", "DUPLICATE PHONE NUMBER IN LIST", ("lead", "type")),
    ("DUPPHONEALTCAMP", ("phone_or_alt",), "campaign", "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS",
     ("lead", "list", "type")),
    ("DUPPHONEALTSYS", ("phone_or_alt",), "system", "DUPLICATE PHONE NUMBER IN SYSTEM", ("lead", "list", "type")),
    ("DUPTITLEALTPHONELIST", ("title", "alt_phone"), "list", "DUPLICATE TITLE ALT_PHONE IN LIST", ("lead",)),
    ("DUPTITLEALTPHONECAMP", ("title", "alt_phone"), "campaign", "DUPLICATE TITLE ALT_PHONE IN CAMPAIGN LISTS",
     ("lead", "list")),
    ("DUPTITLEALTPHONESYS", ("title", "alt_phone"), "system", "DUPLICATE TITLE ALT_PHONE IN SYSTEM", ("lead", "list")),
    ("DUPNAMEPHONELIST", ("first_name", "last_name", "phone_number"), "list", "DUPLICATE NAME PHONE IN LIST",
     ("lead",)),
    ("DUPNAMEPHONECAMP", ("first_name", "last_name", "phone_number"), "campaign",
     "DUPLICATE NAME PHONE IN CAMPAIGN LISTS", ("lead", "list")),
    ("DUPNAMEPHONESYS", ("first_name", "last_name", "phone_number"), "system", "DUPLICATE NAME PHONE IN SYSTEM",
     ("lead", "list")),
)


class _Stop(Exception):
    """The answer ends here (upstream's exit)."""


@host_function("non_agent_api", "add_lead", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM: |{user}|{count}|\n",
                         level=(">", 7), flags={"vdc_agent_api_access": ("1",), "modify_leads": LEAD_EDITORS}),
               list_restricted=True)
def add_lead(call: NonAgentCall) -> str:
    printed: list[str] = []
    try:
        _add(call, _values(call), printed)
    except _Stop:
        pass
    except PhpFatal as fatal:
        fatal.printed = "".join(printed)
        raise
    return "".join(printed)


def _values(call: NonAgentCall) -> dict[str, str]:
    """The parameters as upstream holds them after its filters."""
    values = {}
    for name, chars in PARAMS.items():
        value = call.p[name] if chars is None else keep(call.p[name], chars)
        if chars is None:
            value = remove(value, ';#"')
        values[name] = value.replace("+", " ") if name in PLUS_IS_SPACE else value
    values["list_id"] = keep(values["list_id"], "0-9")
    return values


def _add(call: NonAgentCall, v: dict[str, str], printed: list[str]) -> None:
    user, phone = call.p["user"], v["phone_number"]

    def stop(line: str) -> None:
        printed.append(line)
        raise _Stop

    if call.list_restricted and f" {v['list_id']} " not in " " + "".join(f"{listed} " for listed in call.allowed_lists):
        stop(f"ERROR: add_lead NOT AN ALLOWED LIST ID - {phone}|{v['list_id']}\n")
    if re.search("Y", v["list_exists_check"], re.IGNORECASE) and not _list_exists(call, v["list_id"]):
        stop(f"ERROR: add_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - {phone}|{v['list_id']}\n")
    v["gender"] = v["gender"] or "U"
    v["rank"] = v["rank"] or "0"
    v["list_id"] = v["list_id"] if len(v["list_id"]) >= 3 else "999"
    v["phone_code"] = v["phone_code"] or "1"
    nanpa = v["nanpa_ac_prefix_check"] == "Y"
    if nanpa or re.search("NANPA", v["tz_method"], re.IGNORECASE):
        loaded = int(call.db.value("SELECT count(*) FROM vicidial_nanpa_prefix_codes") or 0)
        if loaded < 10:
            nanpa = False
            v["tz_method"] = v["tz_method"].replace("NANPA", "")
            printed.append(f"NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - {loaded}|{user}\n")
    refusal, prefix = _invalid(call, phone, v, nanpa)
    if refusal is not None:
        stop(f"ERROR: add_lead {refusal} - {phone}|{user}\n")
    if v["lookup_state"] == "Y" and not v["state"]:
        row = call.db.one("SELECT state FROM vicidial_phone_codes WHERE country_code=? AND areacode=? LIMIT 1",
                          v["phone_code"], phone[:3])
        if row is not None:
            v["state"] = row[0] or ""
    if in_system_list(call, phone, v["dnc_check"]):
        stop(f"ERROR: add_lead PHONE NUMBER IN DNC - {phone}|{user}\n")
    if in_campaign_list(call, phone, v["campaign_dnc_check"], v["campaign_id"]):
        stop(f"ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - {phone}|{v['campaign_id']}|{user}\n")
    duplicate = _duplicate(call, v)
    if duplicate is not None:
        stop(f"ERROR: add_lead {duplicate}\n")
    gmt = _gmt(call, v, prefix)
    lead_id = _insert(call, v, gmt)
    printed.append(f"SUCCESS: add_lead LEAD HAS BEEN ADDED - {phone}|{v['list_id']}|{lead_id}|{gmt}|{user}\n")
    printed.append(load_alt_phones(call, "add_lead", lead_id, v["multi_alt_phones"].replace("+", " ")))
    if v["custom_fields"] == "Y":
        printed.append(_custom_fields(call, v, lead_id))
    if v["add_to_hopper"] == "Y" and not re.fullmatch("Y\n?", v["remove_from_hopper"]):
        printed.append(_hopper(call, v, lead_id, gmt))
    if v["callback"] == "Y":
        printed.append(_callback(call, v, lead_id))


def _list_exists(call: NonAgentCall, list_id: str) -> bool:
    return bool(list_id) and int(call.db.value("SELECT count(*) FROM vicidial_lists WHERE list_id=?", list_id)
                                 or 0) > 0


def _invalid(call: NonAgentCall, phone: str, v: dict[str, str], nanpa: bool) -> tuple[str | None, str]:
    """Why the number is refused (the last reason set, upstream's checks in its order), or None;
    and the prefix the GMT lookup reads (the 4th digit alone once the prefix check has run)."""
    valid, reason, prefix = 1, None, phone[3:6]
    if len(phone) < 6 or len(phone) > 16:
        valid, reason = 0, "INVALID PHONE NUMBER LENGTH"
    if v["usacan_prefix_check"] == "Y" and valid > 0:
        prefix = phone[3:4]
        if compare(prefix, 2) < 0:
            valid, reason = 0, "INVALID PHONE NUMBER PREFIX"
    if v["usacan_areacode_check"] == "Y" and valid > 0:
        valid = int(call.db.value("SELECT count(*) FROM vicidial_phone_codes WHERE areacode=? AND country_code='1'",
                                  phone[:3]) or 0)
        if valid < 1 or len(phone) != 10:
            reason = "INVALID PHONE NUMBER AREACODE"
    if nanpa and valid > 0:
        valid = int(call.db.value("SELECT count(*) FROM vicidial_nanpa_prefix_codes WHERE areacode=? AND prefix=?",
                                  phone[:3], phone[3:6]) or 0)
        if valid < 1:
            reason = "INVALID PHONE NUMBER NANPA AREACODE PREFIX"
    return (reason if valid < 1 else None), prefix


def _quoted(text: str) -> str:
    """What MySQL reads of ``'text'`` pasted into a statement; an SQL error (PHP dies) when it is not one literal."""
    value = single_literal(f"'{text}'")
    if value is None:
        raise PhpFatal(f"SQL syntax error near '{text}'")
    return value


def _duplicate(call: NonAgentCall, v: dict[str, str]) -> str | None:
    """The first duplicate check of duplicate_check that finds a lead: its answer's text."""
    check = v["duplicate_check"]
    since = ""
    days = [count for count in DAYS if re.search(f"{count}DAY", check, re.IGNORECASE)]
    if days:
        moment = _dt.datetime.fromtimestamp(call.epoch) - _dt.timedelta(days=days[-1])
        since = moment.strftime("%Y-%m-%d %H:%M:%S")
    lists = _campaign_lists(call, v["list_id"]) if re.search("CAMP", check, re.IGNORECASE) else []
    for name, matched, scope, reason, tail in DUPLICATES:
        if not re.search(name, check, re.IGNORECASE):
            continue
        conditions, args = [], []
        for column in matched:
            if column == "phone_or_alt":
                conditions.append("(phone_number=? OR alt_phone=?)")
                args += [_quoted(v["phone_number"])] * 2
            else:
                conditions.append(f"{column}=?")
                args.append(_quoted(v[column]))
        if scope == "list":
            conditions.append("list_id=?")
            args.append(v["list_id"])
        elif scope == "campaign":
            if not lists:   # list_id IN(): MySQL refuses the statement
                raise PhpFatal("SQL syntax error near list_id IN()")
            conditions.append(f"list_id IN ({', '.join('?' for _ in lists)})")
            args += lists
        if since:
            conditions.append("entry_date > ?")
            args.append(since)
        found = call.db.one(f"SELECT lead_id, list_id, phone_number FROM vicidial_list WHERE {' AND '.join(conditions)} "
                            f"ORDER BY lead_id LIMIT 1", *args)
        if found is None:
            continue
        lead_id, list_id, phone = found
        kind = "PHONE" if loose_equals(phone, v["phone_number"]) else "ALT"
        data = [v["phone_number" if column == "phone_or_alt" else column] for column in matched] + [v["list_id"]]
        data += [{"lead": lead_id, "list": list_id, "type": kind}[item] for item in tail]
        return f"{reason} - " + "|".join(str(item) for item in data)
    return None


def _campaign_lists(call: NonAgentCall, list_id: str) -> list:
    """The lists of the list's campaign (none when the list has no row)."""
    row = call.db.one("SELECT campaign_id FROM vicidial_lists WHERE list_id=?", list_id)
    if row is None:
        return []
    return [listed for (listed,) in call.db.all("SELECT list_id FROM vicidial_lists WHERE campaign_id=?", row[0] or "")]


def _gmt(call: NonAgentCall, v: dict[str, str], prefix: str) -> str:
    """The GMT offset upstream's lookup gives now (call_times.gmt_offset)."""
    return gmt_offset(call.db, v["phone_number"], v["phone_code"], v["tz_method"], v["postal_code"], v["owner"],
                      epoch=call.epoch, state=v["state"], prefix=prefix)


def _insert(call: NonAgentCall, v: dict[str, str], gmt: str) -> int:
    """The lead as upstream's INSERT stores it; its id."""
    now = _dt.datetime.fromtimestamp(call.epoch)
    given = {**v, "status": "CBHOLD" if v["callback"] == "Y" else "NEW", "user": call.p["user"],
             "gmt_offset_now": gmt, "called_since_last_reset": "N", "entry_date": now.strftime("%Y%m%d%H%M%S"),
             "last_local_call_time": now.strftime("%Y-%m-%d %H:%M:%S")}
    statement = ",".join(f'{column}="{given[column]}"' for column in COLUMNS) + \
        f",entry_list_id='{v['entry_list_id'] or '0'}'"
    read = assignments(statement)
    if read is None:
        raise PhpFatal("SQL syntax error in the lead's INSERT")
    row = {column: stored("vicidial_list", column, text) for column, text in read}
    if row["entry_date"] == "0000-00-00 00:00:00":   # YYYYMMDDHHMMSS, which datetime_text does not read
        row["entry_date"] = now.strftime("%Y-%m-%d %H:%M:%S")
    names = ", ".join(call.db.quote(column) for column in row)
    with call.db.write_lock:
        cursor = call.db.execute(f"INSERT INTO vicidial_list ({names}) VALUES ({', '.join('?' for _ in row)})",
                                 *row.values())
        return cursor.lastrowid


def _custom_fields(call: NonAgentCall, v: dict[str, str], lead_id: int) -> str:
    phone, list_id = v["phone_number"], v["list_id"]
    enabled = call.db.value("SELECT custom_fields_enabled FROM system_settings")
    if int(enabled or 0) < 1:
        return (f"NOTICE: add_lead CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED - {phone}|{lead_id}|"
                f"{v['custom_fields']}|{'' if enabled is None else enabled}\n")
    table = f"custom_{list_id}"
    if table not in call.db.table_names():
        return f"NOTICE: add_lead CUSTOM FIELDS NOT ADDED, NO CUSTOM FIELDS DEFINED FOR THIS LIST - {phone}|{lead_id}|{list_id}\n"
    row = sent_values(call, list_id, list_id)
    if row is None:
        return f"NOTICE: add_lead CUSTOM FIELDS NOT ADDED, NO FIELDS DEFINED - {phone}|{lead_id}|{list_id}\n"
    if insert_values(call, list_id, lead_id, row) < 1:
        return f"NOTICE: add_lead CUSTOM FIELDS NOT ADDED, NO FIELDS TO UPDATE DEFINED - {phone}|{lead_id}|{list_id}\n"
    moved = call.db.write("UPDATE vicidial_list SET entry_list_id=? WHERE lead_id=? AND entry_list_id!=?",
                          list_id, lead_id, list_id)   # MySQL counts the rows changed
    return f"NOTICE: add_lead CUSTOM FIELDS VALUES ADDED - {phone}|{lead_id}|{list_id}|{moved}\n"


def _hopper(call: NonAgentCall, v: dict[str, str], lead_id: int, gmt: str) -> str:
    phone, user = v["phone_number"], call.p["user"]
    row = call.db.one("SELECT c.local_call_time, l.local_call_time, c.campaign_id FROM vicidial_campaigns c, "
                      "vicidial_lists l WHERE l.list_id=? AND c.campaign_id=l.campaign_id", v["list_id"])
    call_time, list_call_time, campaign_id = row if row is not None else (None, None, None)
    if list_call_time and not re.fullmatch(r"campaign\n?", list_call_time, re.IGNORECASE):
        call_time = list_call_time
    dialable = 1
    if v["hopper_local_call_time_check"] == "Y":
        dialable = dialable_now(call.db, call.epoch, call_time or "", gmt or 0, v["state"])
    if dialable < 1:
        return f"NOTICE: add_lead NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME - {phone}|{lead_id}|{gmt}|{dialable}|{user}\n"
    lead = (lead_id, stored("vicidial_hopper", "list_id", v["list_id"]), stored("vicidial_hopper", "gmt_offset_now", gmt), phone, v["phone_code"],
            v["vendor_lead_code"], v["state"])
    hopper_id = insert_hopper_row(call, lead, campaign_id or "", bounded_priority(v["hopper_priority"]))
    return f"NOTICE: add_lead ADDED TO HOPPER - {phone}|{lead_id}|{hopper_id}|{user}\n"


def _callback(call: NonAgentCall, v: dict[str, str], lead_id: int) -> str:
    campaign = v["campaign_id"]
    if int(call.db.value("SELECT count(*) FROM vicidial_campaigns WHERE campaign_id=?", campaign) or 0) < 1:
        return f"NOTICE: add_lead SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID - {lead_id}|{campaign}\n"
    kind, agent, group = v["callback_type"], v["callback_user"], ""
    if kind == "USERONLY":
        row = call.db.one("SELECT user_group FROM vicidial_users WHERE user=?", agent)
        if row is None:
            return f"NOTICE: add_lead SCHEDULED CALLBACK NOT ADDED, USER NOT VALID - {lead_id}|{campaign}|{agent}|{kind}\n"
        group = row[0] or ""
    else:
        kind, agent = "ANYONE", ""
    now = _dt.datetime.fromtimestamp(call.epoch)
    when = v["callback_datetime"]
    if when == "NOW":
        when = now.strftime("%Y-%m-%d %H:%M:%S")
    if re.search(r"\dDAYS\n?$", when, re.IGNORECASE):
        when = (now + _dt.timedelta(days=int(keep(when, "0-9")))).strftime("%Y-%m-%d %H:%M:%S")
    status = v["callback_status"] or "CALLBK"
    call.db.write("INSERT INTO vicidial_callbacks (lead_id, list_id, campaign_id, status, entry_time, callback_time, "
                  "user, recipient, comments, user_group, lead_status) VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?)",
                  lead_id, v["list_id"], stored("vicidial_callbacks", "campaign_id", campaign),
                  now.strftime("%Y-%m-%d %H:%M:%S"), stored("vicidial_callbacks", "callback_time", when),
                  stored("vicidial_callbacks", "user", agent), kind,
                  stored("vicidial_callbacks", "comments", v["callback_comments"]),
                  stored("vicidial_callbacks", "user_group", group), stored("vicidial_callbacks", "lead_status", status))
    return f"NOTICE: add_lead SCHEDULED CALLBACK ADDED - {lead_id}|{campaign}|{when}|{kind}|{agent}|{status}\n"

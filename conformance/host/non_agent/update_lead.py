"""``update_lead``: find leads by lead id, vendor_lead_code or phone number and update, delete or
(when none is found) insert one; then schedule its callback and put it into or out of the hopper.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) update_lead, as far as this host goes:
the gate (Agent API access, modify_leads 1 to 4, level above 7), the search (lead_id, then
vendor_lead_code, then phone_number, each only if the one before found nothing; in the whole
system, the list, or the list's campaign's lists; newest entry_date first, at most ``records``,
default 1), the list checks (an allowed list_id to search, an allowed list for each lead found,
list_exists_check), no_update, and for each lead found: delete_cf_data (its custom row deleted,
its entry_list_id 0), the field update (one SUCCESS line each; the two callback counts it prints
are unset, so empty) or delete_lead (its callbacks archived, then the lead deleted), callback=Y
(its first callback updated, or a new one) and REMOVE. insert_if_not_found: a NOTICE that nothing
matched, the insert's checks, the new lead with the GMT offset of call_times.gmt_offset. Then
add_to_hopper / remove_from_hopper (the lead_id sent, else the lead found or inserted; the list_id
sent, else the lead's, names the campaign). custom_fields=Y writes custom values (custom_values.py)
for each lead found and for the lead inserted; multi_alt_phones adds the inserted lead's alt phones
(alt_phones.py). Not reproduced: encrypted custom fields and archived_lead;
those parameters are ignored here.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..alt_phones import FILTER as ALT_PHONES_FILTER
from ..alt_phones import load_alt_phones
from ..call_times import dialable_now, gmt_offset
from ..lead_updates import PARAMS as FIELD_PARAMS
from ..lead_updates import UPDATE_GATE, field_value, set_list, stored_row, update_leads
from ..mysql_text import datetime_text, enum_member, single_literal
from ..non_agent_api import NonAgentCall
from ..php import PhpFatal, keep
from ..registry import host_function
from .custom_values import insert_values, sent_values, update_values
from .hopper_bulk_insert import bounded_priority, insert_hopper_row

PARAMS = {"lead_id": "0-9", "phone_number": ",0-9", "list_id": "-_0-9a-zA-Z", "search_method": "-_0-9a-zA-Z",
          "search_location": "A-Z", "records": "0-9", "no_update": "A-Z", "insert_if_not_found": "A-Z",
          "update_phone_number": "A-Z", "entry_list_id": "0-9", "force_entry_list_id": "0-9",
          "custom_fields": "0-9a-zA-Z", "delete_lead": "A-Z", "list_exists_check": "0-9a-zA-Z", "reset_lead": "A-Z",
          "tz_method": "-_0-9a-zA-Z", "add_to_hopper": "A-Z", "remove_from_hopper": "0-9a-zA-Z",
          "hopper_priority": "-0-9", "hopper_local_call_time_check": "A-Z", "callback": "A-Z", "callback_type": "A-Z",
          "callback_datetime": "- +.:/@_0-9a-zA-Z", "callback_status": "-_0-9a-zA-Z", "callback_user": "-_0-9a-zA-Z",
          "callback_comments": "- +.:/@_0-9a-zA-Z", "campaign_id": "-_0-9a-zA-Z", "delete_cf_data": "A-Z",
          "multi_alt_phones": ALT_PHONES_FILTER,
          **FIELD_PARAMS}
_KEPT_IN_HOPPER = ("INCALL", "DONE", "HOLD", "DNC")   # statuses remove_from_hopper leaves
_INT_MAX = 2 ** 63 - 1
# The columns of an inserted lead, in upstream's order, after phone_code, phone_number, list_id, status, user.
_INSERTED = ("vendor_lead_code", "source_id", "gmt_offset_now", "title", "first_name", "middle_initial", "last_name",
             "address1", "address2", "address3", "city", "state", "province", "postal_code", "country_code", "gender",
             "date_of_birth", "alt_phone", "email", "security_phrase", "comments")


@host_function("non_agent_api", "update_lead", params=PARAMS, steps=("source", "permission", "gate"),
               gate=UPDATE_GATE,
               list_restricted=True)
def update_lead(call: NonAgentCall) -> str:
    p = {name: keep(call.p[name], chars) if chars else call.p[name] for name, chars in PARAMS.items()
         if name not in FIELD_PARAMS}
    user, lead_id, phone = call.p["user"], p["lead_id"], p["phone_number"]
    vendor = field_value(call.p, "vendor_lead_code")
    list_id = keep(p["list_id"], "0-9")
    list_id_field = field_value(call.p, "list_id_field")
    method = p["search_method"] if len(p["search_method"]) >= 6 else "LEAD_ID"
    location = p["search_location"]
    if len(location) < 4 or _below_99(list_id) or len(list_id) < 3:
        location = "SYSTEM"
    records = int(p["records"] or "1")
    by_lead = "LEAD_ID" in method and len(lead_id) > 0
    by_vendor = "VENDOR_LEAD_CODE" in method and len(vendor) > 0
    by_phone = "PHONE_NUMBER" in method and 5 < len(phone) < 19
    if not (by_lead or by_vendor or by_phone):
        return f"ERROR: update_lead NO VALID SEARCH METHOD - {user}|{method}|{lead_id}|{vendor}|{phone}\n"
    if call.list_restricted and not _below_99(list_id) and list_id not in call.allowed_lists:
        return f"ERROR: update_lead NOT AN ALLOWED LIST ID, SEARCH - {phone}|{list_id}\n"
    if "y" in p["list_exists_check"].lower() and list_id_field:
        if int(call.db.value("SELECT count(*) FROM vicidial_lists WHERE list_id=?", int(list_id_field)) or 0) < 1:
            return f"ERROR: update_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - {phone}|{list_id_field}\n"
    scope, scope_args = _scope(call, location, list_id)
    found = _search(call, lead_id if by_lead else None, vendor if by_vendor else None, phone if by_phone else None,
                    scope, scope_args, records)
    force = p["force_entry_list_id"]
    if len(force) > 1:
        found = [(found_id, found_list, force) for found_id, found_list, _ in found]
    if p["no_update"] == "Y":
        if not found:
            return f"NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |{user}|{lead_id}|{vendor}|{phone}\n"
        first_id, first_list, first_entry = found[0]
        out = (f"NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |{user}|{lead_id or first_id}|{vendor}|{phone}|"
               f"{first_list}|{_text(first_entry)}\n")
    elif found:
        out, stopped = _update(call, p, found)
        if stopped:   # upstream exits at a lead of a list not allowed
            return out
    else:
        out, new_id = _not_found(call, p, user, lead_id, vendor, phone, list_id_field or list_id)
        if new_id is None:
            return out
        return out + _hopper(call, p, str(new_id), list_id_field or list_id)
    return out + _hopper(call, p, lead_id or str(found[0][0]), list_id or str(found[0][1]))


def _update(call: NonAgentCall, p: dict[str, str], found: list[tuple]) -> tuple[str, bool]:
    """Each lead found, in the search's order: its list allowed, then updated or deleted; the
    answer and whether upstream stopped at a lead of a list not allowed."""
    user, out = call.p["user"], ""
    extra = []
    if p["update_phone_number"] == "Y" and p["phone_number"]:
        extra.append(f"phone_number='{p['phone_number']}'")
    entry = p["force_entry_list_id"] if len(p["force_entry_list_id"]) > 1 else p["entry_list_id"]
    if entry and p["custom_fields"] != "Y":
        extra.append(f'entry_list_id="{entry}"')
    set_sql = set_list(call.p, p["reset_lead"], extra)
    for lead_id, list_id, _entry in found:
        if call.list_restricted and int(list_id) >= 99 and str(list_id) not in call.allowed_lists:
            return out + f"ERROR: update_lead NOT AN ALLOWED LIST ID, RESULTS - {list_id}\n", True
        if p["delete_cf_data"] == "Y":
            out += _delete_custom_data(call, p, lead_id, _entry)
        if p["delete_lead"] == "Y":
            archived, deleted = _delete(call, lead_id)
            out += (f"SUCCESS: update_lead LEAD HAS BEEN DELETED {deleted}|{archived} - {user}|{lead_id}|1|"
                    f"{archived}|{archived}|\n")
        elif len(set_sql) > 6:
            changed = update_leads(call.db, set_sql, [lead_id])
            out += f"SUCCESS: update_lead LEAD HAS BEEN UPDATED - {user}|{lead_id}|{changed}|||\n"
        if p["callback"] == "Y":
            out += _schedule_callback(call, p, lead_id, list_id)
        elif p["callback"] == "REMOVE":
            archived, deleted = _remove_callbacks(call, lead_id)
            out += f"NOTICE: update_lead SCHEDULED CALLBACK DELETED - {user}|{lead_id}|{deleted}|{archived}\n"
        if p["custom_fields"] == "Y":
            custom_list = p["force_entry_list_id"] if len(p["force_entry_list_id"]) > 1 else str(list_id)
            if int(_entry or 0) > 99:
                custom_list = str(_entry)
            out += _custom_update(call, p, lead_id, list_id, _entry, custom_list)
    return out, False


def _delete_custom_data(call: NonAgentCall, p: dict[str, str], lead_id: int, entry) -> str:
    """delete_cf_data=Y: the lead's row of its entry list's custom table deleted (if the table
    exists; else upstream's count is unset, so empty) and its entry_list_id set to 0."""
    custom_list = p["force_entry_list_id"] or p["entry_list_id"] or _text(entry)
    table, deleted = f"custom_{custom_list}", ""
    if table in call.db.table_names():
        deleted = call.db.write(f"DELETE FROM {call.db.quote(table)} WHERE lead_id=?", lead_id)
    changed = call.db.write("UPDATE vicidial_list SET entry_list_id=0 WHERE lead_id=? AND entry_list_id<>0", lead_id)
    return (f"NOTICE: update_lead CUSTOM FIELDS DATA HAS BEEN DELETED - {call.p['user']}|{lead_id}|{custom_list}|"
            f"{changed}|{deleted}\n")


def _no_custom_table(phone: str, lead_id, list_id) -> str:
    return (f"NOTICE: update_lead CUSTOM FIELDS NOT ADDED, NO CUSTOM FIELDS DEFINED FOR THIS LIST - "
            f"{phone}|{lead_id}|{list_id}\n")


def _custom_update(call: NonAgentCall, p: dict[str, str], lead_id, list_id, entry, custom_list: str) -> str:
    """custom_fields=Y on a lead found: with delete_lead=Y its custom row deleted, else the fields the
    query string names written into it (an UPDATE where the row exists, else an INSERT), and its
    entry_list_id set to the custom list when MySQL counts a row changed."""
    phone = p["phone_number"]
    table = f"custom_{custom_list}"
    if table not in call.db.table_names():
        return _no_custom_table(phone, lead_id, list_id)
    if p["delete_lead"] == "Y":
        deleted = call.db.write(f"DELETE FROM {call.db.quote(table)} WHERE lead_id=?", lead_id)
        if deleted < 1:
            return ""
        return (f"NOTICE: update_lead CUSTOM FIELDS ENTRY DELETED - {phone}|{lead_id}|{list_id}|{_text(entry)}|"
                f"{custom_list}|{deleted}\n")
    row = sent_values(call, custom_list, custom_list, named_only=True)
    if row is None:
        return ""
    held = int(call.db.value(f"SELECT count(*) FROM {call.db.quote(table)} WHERE lead_id=?", lead_id) or 0)
    written = (update_values if held > 0 else insert_values)(call, custom_list, lead_id, row)
    if written > 0:
        call.db.write("UPDATE vicidial_list SET entry_list_id=? WHERE lead_id=?", int(custom_list), lead_id)
    return (f"NOTICE: update_lead CUSTOM FIELDS VALUES UPDATED - {phone}|{lead_id}|{list_id}|{_text(entry)}|"
            f"{custom_list}|{written}\n")


def _custom_insert(call: NonAgentCall, p: dict[str, str], phone: str, lead_id: int, list_id: str) -> str:
    """custom_fields=Y on an inserted lead: its values into list_id's custom table (force_entry_list_id's
    where given), and its entry_list_id set to that list."""
    if f"custom_{list_id}" not in call.db.table_names():
        return _no_custom_table(phone, lead_id, list_id)
    target = p["force_entry_list_id"] if len(p["force_entry_list_id"]) > 1 else list_id
    row = sent_values(call, list_id, target)
    if row is None:
        return f"NOTICE: update_lead CUSTOM FIELDS NOT ADDED, NO FIELDS DEFINED - {phone}|{lead_id}|{list_id}\n"
    if insert_values(call, target, lead_id, row) < 1:
        return f"NOTICE: update_lead CUSTOM FIELDS NOT ADDED, NO FIELDS DEFINED - {phone}|{lead_id}|{list_id}\n"
    moved = call.db.write("UPDATE vicidial_list SET entry_list_id=? WHERE lead_id=? AND entry_list_id!=?",
                          int(target), lead_id, int(target))   # MySQL counts the rows changed
    return f"NOTICE: update_lead CUSTOM FIELDS VALUES ADDED - {phone}|{lead_id}|{list_id}|{moved}\n"


def _schedule_callback(call: NonAgentCall, p: dict[str, str], lead_id: int, list_id: int) -> str:
    """callback=Y: the lead's first callback updated with the callback fields sent, or a new ACTIVE one."""
    now = _dt.datetime.fromtimestamp(call.epoch)
    when = _callback_time(p["callback_datetime"], now)
    campaign, cb_type = p["campaign_id"], p["callback_type"]
    cb_user, cb_status = p["callback_user"], p["callback_status"]
    existing = call.db.value("SELECT callback_id FROM vicidial_callbacks WHERE lead_id=? ORDER BY callback_id LIMIT 1",
                             lead_id)
    if existing is not None:
        changes = [(column, value) for column, value in (
            ("callback_time", when), ("lead_status", cb_status), ("campaign_id", campaign),
            ("list_id", field_value(call.p, "list_id_field")), ("recipient", cb_type),
            ("comments", p["callback_comments"]), ("user", cb_user)) if value]
        sql = "".join(f",{column}='{value}'" for column, value in changes)
        if len(sql) <= 3:
            return f"NOTICE: update_lead SCHEDULED CALLBACK NOT UPDATED, NO FIELDS SPECIFIED - {lead_id}|{sql}\n"
        stored = [("status", "ACTIVE"), ("entry_time", now.strftime("%Y-%m-%d %H:%M:%S"))] + [
            (column, _callback_stored(column, value)) for column, value in changes]
        call.db.write(f"UPDATE vicidial_callbacks SET {', '.join(f'{column}=?' for column, _ in stored)} "
                      f"WHERE callback_id=?", *(value for _, value in stored), existing)
        return (f"NOTICE: update_lead SCHEDULED CALLBACK UPDATED - {lead_id}|{campaign}|{when}|{cb_type}|{cb_user}|"
                f"{cb_status}\n")
    if int(call.db.value("SELECT count(*) FROM vicidial_campaigns WHERE upper(rtrim(campaign_id))=?",
                         campaign.rstrip(" ").upper()) or 0) < 1:
        return f"NOTICE: update_lead SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID - {lead_id}|{campaign}\n"
    group = ""
    if cb_type == "USERONLY":
        row = call.db.one("SELECT user_group FROM vicidial_users WHERE upper(rtrim(user))=?",
                          cb_user.rstrip(" ").upper())
        if row is None:
            return (f"NOTICE: update_lead SCHEDULED CALLBACK NOT ADDED, USER NOT VALID - "
                    f"{lead_id}|{campaign}|{cb_user}|{cb_type}\n")
        group = row[0] or ""
    else:
        cb_type, cb_user = "ANYONE", ""
    cb_status = cb_status or "CALLBK"
    call.db.write("INSERT INTO vicidial_callbacks (lead_id, list_id, campaign_id, status, entry_time, callback_time, "
                  "user, recipient, comments, user_group, lead_status) VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?)",
                  lead_id, list_id, campaign, now.strftime("%Y-%m-%d %H:%M:%S"), datetime_text(when), cb_user, cb_type,
                  p["callback_comments"], group, cb_status)
    return (f"NOTICE: update_lead SCHEDULED CALLBACK ADDED - {lead_id}|{campaign}|{when}|{cb_type}|{cb_user}|"
            f"{cb_status}\n")


def _callback_time(text: str, now: _dt.datetime) -> str:
    """callback_datetime: NOW is the clock, xDAYS that many days ahead (same time of day), else as sent."""
    if text == "NOW":
        return now.strftime("%Y-%m-%d %H:%M:%S")
    if re.search(r"\dDAYS$", text, re.IGNORECASE):
        return (now + _dt.timedelta(days=int(keep(text, "0-9")))).strftime("%Y-%m-%d %H:%M:%S")
    return text


def _callback_stored(column: str, value: str) -> str:
    if column == "callback_time":
        return datetime_text(value)
    if column == "recipient":
        return enum_member(value, ["USERONLY", "ANYONE"])
    return value


def _remove_callbacks(call: NonAgentCall, lead_id: int) -> tuple[int, int]:
    """The lead's callbacks copied to the archive, then deleted: (archived, deleted)."""
    with call.db.write_lock:
        archived = call.db.execute("INSERT INTO vicidial_callbacks_archive SELECT * FROM vicidial_callbacks "
                                   "WHERE lead_id=?", lead_id).rowcount
        deleted = call.db.execute("DELETE FROM vicidial_callbacks WHERE lead_id=?", lead_id).rowcount
    return max(archived, 0), max(deleted, 0)


def _delete(call: NonAgentCall, lead_id: int) -> tuple[int, int]:
    """The lead's callbacks archived and deleted, then the lead: (archived, deleted)."""
    archived, deleted = _remove_callbacks(call, lead_id)
    call.db.write("DELETE FROM vicidial_list WHERE lead_id=?", lead_id)
    return archived, deleted


def _not_found(call: NonAgentCall, p: dict[str, str], user: str, lead_id: str, vendor: str, phone: str,
               list_id: str) -> tuple[str, int | None]:
    """No lead found: an ERROR, or with insert_if_not_found=Y a NOTICE and the insert; the answer
    so far and the inserted lead's id (None: upstream stops here)."""
    kind = "NOTICE" if p["insert_if_not_found"] == "Y" else "ERROR"
    out = f"{kind}: update_lead NO MATCHES FOUND IN THE SYSTEM: |{user}|{lead_id}|{vendor}|{phone}\n"
    if kind == "ERROR":
        return out, None
    phone_code = field_value(call.p, "phone_code")
    if not 6 <= len(phone) <= 18 or not phone_code or len(list_id) < 3:
        return out + (f"ERROR: update_lead INVALID DATA FOR LEAD INSERTION - {user}|{phone}|{phone_code}|{list_id}|"
                      f"{p['insert_if_not_found']}\n"), None
    if call.list_restricted and int(list_id) >= 99 and list_id not in call.allowed_lists:
        return out + f"ERROR: update_lead NOT AN ALLOWED LIST ID, INSERT - {phone}|{list_id}\n", None
    gmt = gmt_offset(call.db, phone, phone_code, p["tz_method"], field_value(call.p, "postal_code"),
                     field_value(call.p, "owner"), epoch=call.epoch, state=field_value(call.p, "state"))
    new_id = _insert(call, p, phone_code, phone, list_id, gmt)
    out += f"SUCCESS: update_lead LEAD HAS BEEN ADDED - {phone}|{list_id}|{new_id}|{gmt}|{user}\n"
    out += load_alt_phones(call, "update_lead", new_id, p["multi_alt_phones"].replace("+", " "))
    if p["custom_fields"] == "Y":
        enabled = call.db.value("SELECT custom_fields_enabled FROM system_settings")
        if int(enabled or 0) > 0:
            out += _custom_insert(call, p, phone, new_id, list_id)
        else:
            out += (f"NOTICE: update_lead CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED - {phone}|{new_id}|Y|"
                    f"{_text(enabled)}\n")
    return out, new_id


def _hopper(call: NonAgentCall, p: dict[str, str], lead_id: str, list_id: str) -> str:
    """add_to_hopper=Y and remove_from_hopper=Y: the lead (the lead_id sent, else the first found or
    the one inserted) into or out of the hopper of list_id's campaign (the list_id sent, else the lead's)."""
    user, phone, out = call.p["user"], p["phone_number"], ""
    if p["add_to_hopper"] == "Y":
        out += _add_to_hopper(call, p, lead_id, list_id)
    if p["remove_from_hopper"] == "Y":
        status = call.db.value("SELECT status FROM vicidial_hopper WHERE lead_id=? ORDER BY hopper_id LIMIT 1", lead_id)
        if status is None:
            return out + (f"NOTICE: update_lead NOT REMOVED FROM HOPPER, LEAD IS NOT IN THE HOPPER - "
                          f"{phone}|{lead_id}|{user}\n")
        with call.db.write_lock:
            kept = ", ".join("?" for _ in _KEPT_IN_HOPPER)
            removed = call.db.execute(f"DELETE FROM vicidial_hopper WHERE lead_id=? AND status NOT IN ({kept})",
                                      lead_id, *_KEPT_IN_HOPPER).rowcount
        not_ = "" if removed > 0 else "NOT "
        out += f"NOTICE: update_lead {not_}REMOVED FROM HOPPER - {phone}|{lead_id}|{status}|{user}\n"
    return out


def _add_to_hopper(call: NonAgentCall, p: dict[str, str], lead_id: str, list_id: str) -> str:
    user, phone = call.p["user"], p["phone_number"]
    if int(call.db.value("SELECT count(*) FROM vicidial_hopper WHERE lead_id=?", lead_id) or 0) > 0:
        return f"NOTICE: update_lead NOT ADDED TO HOPPER, LEAD IS ALREADY IN THE HOPPER - {phone}|{lead_id}|{user}\n"
    campaign = call.db.one("SELECT c.local_call_time, l.local_call_time, c.campaign_id FROM vicidial_campaigns c, "
                           "vicidial_lists l WHERE l.list_id=? AND upper(rtrim(c.campaign_id))="
                           "upper(rtrim(l.campaign_id))", int(list_id or 0))
    call_time, list_call_time, campaign_id = campaign or (None, None, None)
    if list_call_time and not re.fullmatch(r"campaign\n?", list_call_time, re.IGNORECASE):
        call_time = list_call_time
    lead = call.db.one("SELECT state, vendor_lead_code, gmt_offset_now, phone_code FROM vicidial_list WHERE lead_id=?",
                       lead_id)
    if lead is None:
        return f"NOTICE: update_lead NOT ADDED TO HOPPER, LEAD NOT FOUND - {phone}|{lead_id}|{user}\n"
    state, vendor, gmt, code = lead
    checked = p["hopper_local_call_time_check"] == "Y"
    dialable = dialable_now(call.db, call.epoch, call_time or "", gmt, state or "") if checked else 1
    if dialable < 1:
        return (f"NOTICE: update_lead NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME - {phone}|{lead_id}|{_decimal(gmt)}|"
                f"{dialable}|{user}\n")
    hopper_id = insert_hopper_row(call, (int(lead_id), int(list_id or 0), gmt, phone, code, vendor, state),
                                  campaign_id or "", bounded_priority(p["hopper_priority"]))
    return f"NOTICE: update_lead ADDED TO HOPPER - {phone}|{lead_id}|{hopper_id}|{user}\n"


def _insert(call: NonAgentCall, p: dict[str, str], phone_code: str, phone: str, list_id: str, gmt: str) -> int:
    """Upstream's INSERT of the new lead (status NEW unless given, user the API user, entered now),
    as MySQL stores it."""
    texts = {"phone_code": phone_code, "phone_number": phone, "list_id": list_id,
             "status": field_value(call.p, "status") or "NEW", "user": call.p["user"],
             **{name: field_value(call.p, name) for name in _INSERTED}, "gmt_offset_now": gmt,
             "called_since_last_reset": "N", "rank": field_value(call.p, "rank"), "owner": field_value(call.p, "owner"),
             "entry_list_id": p["entry_list_id"] if p["entry_list_id"] and p["custom_fields"] != "Y" else "0"}
    stored = stored_row(",".join(f'{column}="{text}"' for column, text in texts.items()))
    now = _dt.datetime.fromtimestamp(call.epoch).strftime("%Y-%m-%d %H:%M:%S")
    stored.update(entry_date=now, last_local_call_time=now)
    columns = ", ".join(call.db.quote(column) for column in stored)
    with call.db.write_lock:
        cursor = call.db.execute(f"INSERT INTO vicidial_list ({columns}) VALUES ({', '.join('?' for _ in stored)})",
                                 *stored.values())
        return cursor.lastrowid


def _below_99(list_id: str) -> bool:
    """PHP 8's ``$list_id < 99``: an empty string compares as text ("" < "99"), digits as a number."""
    return list_id == "" or int(list_id) < 99


def _scope(call: NonAgentCall, location: str, list_id: str) -> tuple[str, list]:
    """The list condition: the list alone (LIST), its campaign's lists (CAMPAIGN), or none."""
    scope, args = "", []
    if re.search("CAMPAIGN", location, re.IGNORECASE):
        row = call.db.one("SELECT campaign_id FROM vicidial_lists WHERE list_id=?", int(list_id))
        if row is not None:
            lists = [found for (found,) in call.db.all("SELECT list_id FROM vicidial_lists WHERE campaign_id=?",
                                                      row[0])]
            if lists:
                scope, args = f" AND list_id IN ({', '.join('?' for _ in lists)})", lists
    if re.search("LIST", location, re.IGNORECASE):
        scope, args = " AND list_id=?", [int(list_id)]
    return scope, args


def _search(call: NonAgentCall, lead_id: str | None, vendor: str | None, phone: str | None,
            scope: str, scope_args: list, records: int) -> list[tuple]:
    """(lead_id, list_id, entry_list_id) of the leads the first method that finds any finds,
    newest entry_date first."""
    order = f"{scope} ORDER BY entry_date DESC, lead_id DESC LIMIT {min(records, _INT_MAX)}"
    columns = "SELECT lead_id, list_id, entry_list_id FROM vicidial_list WHERE "
    if lead_id is not None and int(lead_id) <= _INT_MAX:
        rows = call.db.all(f"{columns}lead_id=?{order}", int(lead_id), *scope_args)
        if rows:
            return rows
    if vendor is not None:
        code = single_literal(f'"{vendor}"')
        if code is None:
            raise PhpFatal(f"SQL syntax error near vendor_lead_code=\"{vendor}\"")
        rows = call.db.all(f"{columns}upper(rtrim(vendor_lead_code))=?{order}", code.rstrip(" ").upper(), *scope_args)
        if rows:
            return rows
    if phone is not None:
        return call.db.all(f"{columns}phone_number=?{order}", phone, *scope_args)
    return []


def _decimal(value) -> str:
    """A DECIMAL(4,2) as MySQL prints it (SQLite hands back a number), NULL as PHP prints it."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, (float, int)) else str(value)


def _text(value) -> str:
    return "" if value is None else str(value)

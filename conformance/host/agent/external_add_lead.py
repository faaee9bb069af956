"""``external_add_lead``: add a NEW lead with the given number to the manual dial list of the
logged-in agent's campaign.

Follows upstream www/agc/api.php (2.14-82), external_add_lead block: value (or phone_number when
value is empty) and phone_code are required, the optional system and campaign DNC checks (the
campaign's use_other_campaign_dnc list when set), and one INSERT of the lead fields as upstream's
global filters leave them, pasted between double quotes unescaped. gmt_offset_now is not set (the
column's default). The new lead_id is the database's.
"""

from __future__ import annotations

from ...tables.schema import TABLES
from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, SqlError
from ..mysql_text import assignments, stored as stored_value
from ..registry import host_function
from .switch_lead import free_text
from .update_fields import FIELDS, PARAMS as FIELD_PARAMS, field_value

PARAMS = {**FIELD_PARAMS, "alt_user": AGENT_FILTERS["alt_user"], "vendor_id": None,
          "dnc_check": "-_0-9a-zA-Z", "campaign_dnc_check": "-_0-9a-zA-Z"}
_FILTERS = {name: (chars, plus) for name, chars, plus, _ in FIELDS}
# The fields of upstream's INSERT, in its order, after phone_code, phone_number, list_id, status and user.
_LEAD_FIELDS = ("vendor_lead_code", "source_id", "title", "first_name", "middle_initial", "last_name", "address1",
                "address2", "address3", "city", "state", "province", "postal_code", "country_code", "gender",
                "date_of_birth", "alt_phone", "email", "security_phrase", "comments")
_COLUMNS = {column.name for column in TABLES["vicidial_list"].columns}
_DNC_ANSWERS = ("YES", "Y")   # compared as sent (after the filter): "yes" checks nothing


def _field(call: AgentCall, name: str) -> str:
    return field_value(call, name, *_FILTERS[name])


def _valid(call: AgentCall) -> bool:
    p = call.p
    p["phone_code"] = _field(call, "phone_code")
    phone_number = _field(call, "phone_number")
    if len(p["value"]) < 1 and len(phone_number) > 1:
        p["value"] = phone_number
    value, phone_code, agent_user, alt_user = p["value"], p["phone_code"], p["agent_user"], p["alt_user"]
    if (len(agent_user) < 2 and len(alt_user) < 2) or len(phone_code) < 1 or len(value) < 2:
        call.say(f"ERROR: external_add_lead not valid - {value}|{phone_code}|{agent_user}|{alt_user}\n")
        return False
    return True


def _found(call: AgentCall, statement: str, sql: str, *args: str) -> int:
    call.trace(f"|{statement}|")
    return int(call.db.value(sql, *args) or 0)


@host_function("agent_api", "external_add_lead", params=PARAMS, steps=AGENT_STEPS, check=_valid)
def external_add_lead(call: AgentCall) -> None:
    p = call.p
    value, agent_user = p["value"], p["agent_user"]
    call.trace(f"select c.campaign_id,c.manual_dial_list_id from vicidial_campaigns c,vicidial_live_agents a "
               f"where a.user='{agent_user}' and a.campaign_id=c.campaign_id;")
    found = call.db.one("SELECT c.campaign_id, c.manual_dial_list_id FROM vicidial_campaigns c "
                        "JOIN vicidial_live_agents a ON a.campaign_id = c.campaign_id WHERE a.user=?", agent_user)
    if found is None:   # upstream's campaign is then unset, printed as nothing
        call.say(f"ERROR: campaign manual dial list undefined - {value}||{agent_user}\n")
        return
    campaign_id, list_id = found[0], "" if found[1] is None else str(found[1])
    dnc = 0
    if p["dnc_check"] in _DNC_ANSWERS:
        dnc = _found(call, f"SELECT count(*) from vicidial_dnc where phone_number='{value}';",
                     "SELECT count(*) FROM vicidial_dnc WHERE phone_number=?", value)
    campaign_dnc = 0
    if p["campaign_dnc_check"] in _DNC_ANSWERS:
        other = call.db.value("SELECT use_other_campaign_dnc FROM vicidial_campaigns WHERE campaign_id=?", campaign_id)
        dnc_list = other if other else campaign_id
        campaign_dnc = _found(call, f"SELECT count(*) from vicidial_campaign_dnc where phone_number='{value}' "
                              f"and campaign_id='{dnc_list}';",
                              "SELECT count(*) FROM vicidial_campaign_dnc WHERE phone_number=? AND campaign_id=?",
                              value, dnc_list)
    if dnc or campaign_dnc:
        if dnc:
            call.say(f"ERROR: add_lead PHONE NUMBER IN DNC - {value}|{agent_user}\n")
        if campaign_dnc:
            call.say(f"ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - {value}|{campaign_id}|{agent_user}\n")
        return
    _insert(call, campaign_id, list_id)


def _insert(call: AgentCall, campaign_id: str, list_id: str) -> None:
    p = call.p
    value, agent_user = p["value"], p["agent_user"]
    fields = {name: _field(call, name) for name in _LEAD_FIELDS}
    vendor_id = free_text(p["vendor_id"])
    if vendor_id:
        fields["vendor_lead_code"] = vendor_id
    entry_date = call.now.replace("-", "").replace(" ", "").replace(":", "")
    setting = ",".join(
        f'{name}="{text}"' for name, text in (
            ("phone_code", p["phone_code"]), ("phone_number", value), ("list_id", list_id), ("status", "NEW"),
            ("user", p["user"]), *fields.items(), ("called_since_last_reset", "N"), ("entry_date", entry_date),
            ("last_local_call_time", call.now), ("rank", _field(call, "rank")), ("owner", _field(call, "owner"))))
    statement = f"INSERT INTO vicidial_list SET {setting};"
    call.trace(statement)
    columns = assignments(setting)
    names = [column for column, _ in columns or ()]
    if columns is None or len(set(names)) < len(names) or not set(names) <= _COLUMNS:
        raise SqlError(statement)   # a double quote in a free-text field breaks the statement
    row = {column: call.now if column in ("entry_date", "last_local_call_time") and text in (entry_date, call.now)
           else stored_value("vicidial_list", column, text) for column, text in columns}
    quoted = ", ".join(call.db.quote(column) for column in row)
    with call.db.write_lock:
        lead_id = call.db.execute(f"INSERT INTO vicidial_list ({quoted}) VALUES ({', '.join('?' for _ in row)})",
                                  *row.values()).lastrowid
    call.say(f"SUCCESS: lead added - {value}|{campaign_id}|{list_id}|{lead_id}|{agent_user}\n")

"""The DNC lists add_dnc_phone and delete_dnc_phone change, and check_phone_number and add_lead
read: the system's own or a campaign's.

Upstream (www/vicidial/non_agent_api.php) takes ``campaign_id`` exactly ``SYSTEM_INTERNAL`` (a
case-sensitive PHP comparison) for the system list, ``vicidial_dnc``, logged as campaign
``-SYSINT-``; any other text names a campaign's list, ``vicidial_campaign_dnc``, unchecked
against the campaigns and stored as sent (cut to the column's 8 characters). Lookups compare as
the database does, without letter case.
"""

from __future__ import annotations

import datetime as _dt

from ..tables.schema import fit
from .non_agent_api import NonAgentCall

SYSTEM = "SYSTEM_INTERNAL"
SYSTEM_IN_LOG = "-SYSINT-"


def listed(call: NonAgentCall, phone: str, campaign: str) -> int:
    """How many rows of the list hold the number (upstream's count before it writes)."""
    if campaign == SYSTEM:
        return int(call.db.value("SELECT count(*) FROM vicidial_dnc WHERE phone_number = ?", phone) or 0)
    return int(call.db.value("SELECT count(*) FROM vicidial_campaign_dnc WHERE phone_number = ? AND campaign_id = ?",
                             phone, campaign) or 0)


def add(call: NonAgentCall, phone: str, campaign: str) -> tuple[int, str]:
    """Add the number; the rows added (-1 where the stored, cut key is already there, as a failed
    INSERT reports) and the statement's wording."""
    if campaign == SYSTEM:
        stored = (fit("vicidial_dnc", "phone_number", phone),)
        statement = f"INSERT INTO vicidial_dnc (phone_number) VALUES ('{phone}')"
        exists = "SELECT count(*) FROM vicidial_dnc WHERE phone_number = ?"
        insert = "INSERT INTO vicidial_dnc (phone_number) VALUES (?)"
    else:
        stored = (fit("vicidial_campaign_dnc", "phone_number", phone),
                  fit("vicidial_campaign_dnc", "campaign_id", campaign))
        statement = f"INSERT INTO vicidial_campaign_dnc (phone_number, campaign_id) VALUES ('{phone}', '{campaign}')"
        exists = "SELECT count(*) FROM vicidial_campaign_dnc WHERE phone_number = ? AND campaign_id = ?"
        insert = "INSERT INTO vicidial_campaign_dnc (phone_number, campaign_id) VALUES (?, ?)"
    if call.db.value(exists, *stored):
        return -1, statement
    return call.db.write(insert, *stored), statement


def remove(call: NonAgentCall, phone: str, campaign: str) -> tuple[int, str]:
    """Delete the number; the rows deleted and the statement's wording."""
    if campaign == SYSTEM:
        return (call.db.write("DELETE FROM vicidial_dnc WHERE phone_number = ?", phone),
                f"DELETE FROM vicidial_dnc WHERE phone_number = '{phone}'")
    return (call.db.write("DELETE FROM vicidial_campaign_dnc WHERE phone_number = ? AND campaign_id = ?", phone, campaign),
            f"DELETE FROM vicidial_campaign_dnc WHERE phone_number = '{phone}' AND campaign_id = '{campaign}'")


def log_change(call: NonAgentCall, phone: str, campaign: str, action: str) -> tuple[int, str]:
    """The vicidial_dnc_log row of the change, stamped with the database's time (upstream's NOW()):
    the rows added and the statement's wording."""
    logged = SYSTEM_IN_LOG if campaign == SYSTEM else campaign
    now = _dt.datetime.fromtimestamp(call.epoch).strftime("%Y-%m-%d %H:%M:%S")
    added = call.db.write("INSERT INTO vicidial_dnc_log (phone_number, campaign_id, action, action_date, user) "
                          "VALUES (?, ?, ?, ?, ?)", fit("vicidial_dnc_log", "phone_number", phone),
                          fit("vicidial_dnc_log", "campaign_id", logged), action, now, call.p["user"])
    return added, (f"INSERT INTO vicidial_dnc_log (phone_number, campaign_id, action, action_date, user) "
                   f"VALUES ('{phone}', '{logged}', '{action}', '{now}', '{call.p['user']}')")


def in_system_list(call: NonAgentCall, phone: str, check: str) -> bool:
    """dnc_check Y or AREACODE (which also finds the area code's 312XXXXXXX entry): is the number listed?"""
    if check not in ("Y", "AREACODE"):
        return False
    numbers = (phone, phone[:3] + "XXXXXXX") if check == "AREACODE" else (phone,)
    return int(call.db.value(f"SELECT count(*) FROM vicidial_dnc WHERE phone_number IN "
                             f"({', '.join('?' for _ in numbers)})", *numbers) or 0) > 0


def in_campaign_list(call: NonAgentCall, phone: str, check: str, campaign: str) -> bool:
    """campaign_dnc_check Y or AREACODE: is the number in the campaign's list, or in the one its
    use_other_campaign_dnc names?"""
    if check not in ("Y", "AREACODE"):
        return False
    other = call.db.value("SELECT use_other_campaign_dnc FROM vicidial_campaigns WHERE campaign_id=?", campaign)
    listed_in = other if other else campaign
    numbers = (phone, phone[:3] + "XXXXXXX") if check == "AREACODE" else (phone,)
    return int(call.db.value(f"SELECT count(*) FROM vicidial_campaign_dnc WHERE phone_number IN "
                             f"({', '.join('?' for _ in numbers)}) AND campaign_id=?", *numbers, listed_in) or 0) > 0

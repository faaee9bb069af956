"""Filter phone groups, which add_fpg_phone and delete_fpg_phone change: a group's existence and
its numbers, compared as the database does (without letter case), the group id stored as sent."""

from __future__ import annotations

from ..tables.schema import fit
from .non_agent_api import NonAgentCall


def group_exists(call: NonAgentCall, group: str) -> bool:
    return bool(call.db.value("SELECT count(*) FROM vicidial_filter_phone_groups WHERE filter_phone_group_id = ?",
                              group))


def number_listed(call: NonAgentCall, phone: str, group: str) -> bool:
    return bool(call.db.value("SELECT count(*) FROM vicidial_filter_phone_numbers WHERE phone_number = ? AND "
                              "filter_phone_group_id = ?", phone, group))


def add_number(call: NonAgentCall, phone: str, group: str) -> tuple[int, str]:
    """The rows added (-1 where the stored, cut key is already there, as a failed INSERT reports)
    and the statement's wording."""
    stored = (fit("vicidial_filter_phone_numbers", "phone_number", phone),
              fit("vicidial_filter_phone_numbers", "filter_phone_group_id", group))
    statement = f"INSERT INTO vicidial_filter_phone_numbers (phone_number, filter_phone_group_id) " \
                f"VALUES ('{phone}', '{group}')"
    if number_listed(call, *stored):
        return -1, statement
    return call.db.write("INSERT INTO vicidial_filter_phone_numbers (phone_number, filter_phone_group_id) "
                         "VALUES (?, ?)", *stored), statement


def delete_number(call: NonAgentCall, phone: str, group: str) -> tuple[int, str]:
    """The rows deleted and the statement's wording."""
    deleted = call.db.write("DELETE FROM vicidial_filter_phone_numbers WHERE phone_number = ? AND "
                            "filter_phone_group_id = ?", phone, group)
    return deleted, f"DELETE FROM vicidial_filter_phone_numbers WHERE phone_number = '{phone}' AND " \
                    f"filter_phone_group_id = '{group}'"

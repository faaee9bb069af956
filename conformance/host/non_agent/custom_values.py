"""custom_fields=Y of add_lead and update_lead: a lead's custom field values, read from the
request by their labels and written into a list's custom_<list_id> table as MySQL stores
upstream's statement (non_agent_api.php 2.14-202).

Each field of the list (field_duplicate not Y, in field_rank, field_order, field_label order)
that holds data (not DISPLAY, SCRIPT, BUTTON or SWITCH, no standard lead column's label) takes
the parameter of its label: + read as a space, ; and " removed, a trailing backslash removed,
--BLANK-- stored empty. update_lead takes only the fields whose label the query string names.
"""

from __future__ import annotations

import re
from typing import Any

from ...tables.schema import NO_COLUMN_TYPES, custom_table
from ..mysql_text import assignments, stored_in
from ..non_agent_api import NonAgentCall
from ..php import PhpFatal, remove
from .lead_all_info import STANDARD_LABELS

_FIELDS = ("field_label", "field_type", "field_max", "field_options", "field_default")


def sent_values(call: NonAgentCall, fields_list: Any, table_list: Any, named_only: bool = False) -> dict | None:
    """{column: stored value} of ``fields_list``'s fields for custom_<table_list>; None where no
    field is written (upstream's NO FIELDS answers). ``named_only``: only the labels the query
    string names (``?label=`` or ``&label=``)."""
    fields = call.db.all(f"SELECT {', '.join(_FIELDS)} FROM vicidial_lists_fields WHERE list_id=? AND "
                         "field_duplicate!='Y' ORDER BY field_rank, field_order, field_label", fields_list)
    query = call.request.query if call.request else ""
    given = []
    for label, kind, *_ in fields:
        if named_only and not re.search(rf"\?{re.escape(label)}=|&{re.escape(label)}=", query):
            continue
        if kind in NO_COLUMN_TYPES or label in STANDARD_LABELS:
            continue
        value = remove(call.request.param(label) if call.request else "", ';"').replace("+", " ")
        given.append(f'{label}="{value[:-1] if value.endswith(chr(92)) else value}"')
    if not given:
        return None
    table = f"custom_{table_list}"
    read = assignments(",".join(given).replace('"--BLANK--"', '""'))
    columns = {name.lower(): name for name in call.db.column_names(table)}
    if read is None or any(label.lower() not in columns for label, _ in read):
        raise PhpFatal(f"SQL error in the statement on {table}")
    declared = custom_table(table_list, [dict(zip(_FIELDS, row)) for row in fields])
    return {columns[label.lower()]: stored_in(declared.column(label), text) for label, text in read}


def insert_values(call: NonAgentCall, table_list: Any, lead_id: Any, row: dict) -> int:
    """upstream's INSERT INTO custom_<list> SET lead_id=..., ...: the rows stored (1)."""
    table = call.db.quote(f"custom_{table_list}")
    names = ", ".join(call.db.quote(name) for name in ("lead_id", *row))
    return call.db.write(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in range(len(row) + 1))})",
                         lead_id, *row.values())


def update_values(call: NonAgentCall, table_list: Any, lead_id: Any, row: dict) -> int:
    """upstream's UPDATE custom_<list> SET ... WHERE lead_id=...: the rows MySQL counts, those it changed."""
    table = call.db.quote(f"custom_{table_list}")
    held = call.db.one(f"SELECT {', '.join(call.db.quote(name) for name in row)} FROM {table} WHERE lead_id=?",
                       lead_id)
    if held is None or all(_same(old, new) for old, new in zip(held, row.values())):
        return 0
    call.db.write(f"UPDATE {table} SET {', '.join(f'{call.db.quote(name)}=?' for name in row)} WHERE lead_id=?",
                  *row.values(), lead_id)
    return 1


def _same(old: Any, new: Any) -> bool:
    return (old is None and new is None) or (old is not None and new is not None and str(old) == str(new))

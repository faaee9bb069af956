"""The row an administrative write through the Non-Agent API leaves in ``vicidial_admin_log``.

Upstream (www/vicidial/non_agent_api.php) logs each change it made: the script's start time, the
API user, the client's address, a section, an event type and code, the record changed, the
statements it ran (``event_sql``: each followed by ``|``, semicolons removed) and notes. The
statements here are the host's wording of its own writes; the specs match them by pattern.
"""

from __future__ import annotations

import datetime as _dt

from .non_agent_api import NonAgentCall


def script_time(call: NonAgentCall) -> str:
    """The request's start as PHP's ``date("Y-m-d H:i:s")`` prints it (local time)."""
    return _dt.datetime.fromtimestamp(call.epoch).strftime("%Y-%m-%d %H:%M:%S")


def statement_text(statements: list[str]) -> str:
    """``event_sql``: each statement followed by ``|``, without semicolons."""
    return "".join(statement.replace(";", "") + "|" for statement in statements)


def log_admin_event(call: NonAgentCall, section: str, event_type: str, record_id: str, code: str,
                    statements: list[str], notes: str) -> None:
    """One vicidial_admin_log row for a change the API user made (user_group keeps its default)."""
    call.db.write("INSERT INTO vicidial_admin_log (event_date, user, ip_address, event_section, event_type, "
                  "record_id, event_code, event_sql, event_notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  script_time(call), call.p["user"], call.ip[:15], section, event_type, record_id[:50], code[:255],
                  statement_text(statements), notes)

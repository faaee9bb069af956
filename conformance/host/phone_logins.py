"""The phones an alias lists: a comma list of logins, each looked up in ``phones``.

Upstream (www/vicidial/non_agent_api.php, add_phone_alias and update_phone_alias) splits the
list on every comma, empty pieces included, and refuses at the first login no phone has
(compared as the database does, without letter case).
"""

from __future__ import annotations

from .non_agent_api import NonAgentCall


def first_missing_login(call: NonAgentCall, logins: str) -> str | None:
    """The first login of the comma list that no phone has, or None when every one is a phone's."""
    for login in logins.split(","):
        if int(call.db.value("SELECT count(*) FROM phones WHERE login = ?", login) or 0) < 1:
            return login
    return None


def alias_exists(call: NonAgentCall, alias_id: str) -> bool:
    """Does phones_alias hold the id (without letter case, as the database compares)?"""
    return int(call.db.value("SELECT count(*) FROM phones_alias WHERE alias_id = ?", alias_id) or 0) > 0

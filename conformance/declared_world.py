"""Whether the host holds the declared world: what an agent's ``agent_status`` answer and an API
user's one login say against what the world file declares for the role.

Pure judgements over answers (the preflight sends the requests): each returns None when the
host agrees, else the mismatch in words that name the role and quote the host.
"""

from __future__ import annotations

from typing import Any

# agent_status's pipe line: status|callerid|lead_id|campaign_id|calls_today|full_name|user_group|
# user_level|pause_code|real_time_sub_status|phone_number|vendor_lead_code|session_id
_FIELDS = ("status", "callerid", "lead_id", "campaign_id", "calls_today", "full_name", "user_group", "user_level",
           "pause_code", "real_time_sub_status", "phone_number", "vendor_lead_code", "session_id")
# Declared facts preflight compares, by the agent_status field that shows each.
_COMPARED = {"status": "status", "campaign_id": "campaign_id", "conf_exten": "session_id"}
NOT_FOUND = "ERROR: agent_status AGENT NOT FOUND"
NOT_LOGGED_IN = "ERROR: agent_status AGENT NOT LOGGED IN"
UNASKABLE = ("ERROR: agent_status USER DOES NOT HAVE PERMISSION", "ERROR: auth USER DOES NOT HAVE PERMISSION")


def fact(role_row: dict[str, Any], meaning: dict[str, Any] | None, key: str) -> str | None:
    """A role's fact as declared, else as the role's name means it (its row in the embedded world)."""
    value = role_row.get(key, (meaning or {}).get(key))
    return None if value is None else str(value)


def agent_unaskable(answer: str) -> bool:
    """True when the API user may not call agent_status (permission, level, allowed functions)."""
    return answer.startswith(UNASKABLE)


def agent_mismatch(role: str, row: dict[str, Any], answer: str) -> str | None:
    """What differs between the declared agent ``row`` and the host's agent_status ``answer``."""
    said = answer.strip().splitlines()[0] if answer.strip() else "(an empty answer)"
    who = f"agent role {role} (user {row.get('user')})"
    if row.get("vicidial_user") is False:   # a live row without an account: agent_status cannot see it
        return None if answer.startswith(NOT_FOUND) else f"{who} is declared without an account, but the host said {said!r}"
    if answer.startswith(NOT_FOUND):
        return (f"{who} is not on the host: agent_status said {said!r} (an agent in a user group the API user "
                "may not view is not found either)")
    logged_in = row.get("logged_in", True) is not False
    if answer.startswith(NOT_LOGGED_IN):
        return None if not logged_in else f"{who} is declared logged in, but the host said {said!r}"
    values = dict(zip(_FIELDS, said.split("|")))
    if len(said.split("|")) < len(_FIELDS):
        return f"{who}: agent_status answered {said!r}, not an agent's line"
    if not logged_in:
        return f"{who} is declared logged out, but the host has it logged in ({values['status']})"
    differs = [f"{key} {row[key]} declared, the host says {values[field] or '(empty)'}"
               for key, field in _COMPARED.items() if key in row and str(row[key]) != values[field]]
    return f"{who}: " + "; ".join(differs) if differs else None


def login_mismatch(role: str, user: str, refused: dict[str, str] | None, api_access: str | None) -> str | None:
    """What differs between an API user role and its one Agent API login (``refused``: the refusal's
    auth, api and why fields, None when it logged in); ``api_access``: its vdc_agent_api_access."""
    who = f"API user role {role} (user {user})"
    without_access = api_access == "0"
    if refused is None:
        return None if not without_access else (f"{who} is declared without Agent API access "
                                                "(vdc_agent_api_access 0), but the host let it log in")
    if refused.get("why") == "LOCK":
        return f"{who} is locked after too many failed logins: wait 15 minutes, then run again"
    if refused.get("auth") == "1" and refused.get("api") == "0":
        return None if without_access else (f"{who} logs in but has no Agent API access "
                                            "(vdc_agent_api_access): give it access, or declare it as "
                                            "vdc_agent_api_access: \"0\"")
    return f"{who}: the host refused its login ({refused.get('why') or 'BAD'}): check its password in the world file"

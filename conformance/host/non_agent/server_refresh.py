"""``server_refresh``: every server's Asterisk conf files due for a rebuild.

Upstream (www/vicidial/non_agent_api.php, server_refresh) asks for Agent API access,
``ast_admin_access`` and user level 8 or more, and a ``stage`` holding REFRESH (anywhere, in
capitals). It stamps ``system_settings.reload_timestamp``, sets ``rebuild_conf_files`` on every
servers row, and logs in the admin log how many rows that changed (MySQL counts a row already
set as unchanged), which the answer also prints. The missing-stage refusal echoes the phone
alias fields (alias_id, alias_name, phone_logins), as upstream's does.
"""

from __future__ import annotations

from ..admin_log import log_admin_event, script_time
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"stage": "-_0-9a-zA-Z", "alias_id": "-_0-9a-zA-Z", "alias_name": "- +.:/@_0-9a-zA-Z",
          "phone_logins": "-,_0-9a-zA-Z"}
# Only the rows it changes, so the count is MySQL's affected rows on any database.
SET_FLAG = "UPDATE servers SET rebuild_conf_files='Y' WHERE COALESCE(rebuild_conf_files, '') <> 'Y'"


def asks_refresh(stage: str) -> bool:
    """Upstream's preg_match: REFRESH anywhere in the filtered stage, in capitals."""
    return "REFRESH" in stage


def stamp_reload(call: NonAgentCall) -> None:
    """system_settings.reload_timestamp: now (upstream's database NOW(), here the request's start)."""
    call.db.write("UPDATE system_settings SET reload_timestamp=?", script_time(call))


@host_function("non_agent_api", "server_refresh", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO REFRESH SERVERS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "ast_admin_access": ("1",)}))
def server_refresh(call: NonAgentCall) -> str:
    p = call.p
    user = p["user"]
    if not asks_refresh(p["stage"]):
        return (f"ERROR: server_refresh YOU MUST USE ALL REQUIRED FIELDS: "
                f"|{user}|{p['alias_id']}|{p['alias_name']}|{p['phone_logins']}\n")
    stamp_reload(call)
    changed = call.db.write(SET_FLAG)
    log_admin_event(call, "SERVERS", "OTHER", "refresh", "ADMIN API SERVERS REFRESH", [SET_FLAG],
                    f"servers: {changed}")
    return f"SUCCESS: server_refresh SERVER REFRESH HAS BEEN TRIGGERED - {user}|{changed}\n"

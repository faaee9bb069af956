"""``refresh_panel``: ask the agent screen to reload panels (external_update_fields and its data)."""

from __future__ import annotations

import re

from ..agent_api import AGENT_FILTERS, AgentCall
from ..registry import host_function

# In upstream's order; each is looked for anywhere in the query string, in any case (ASCII).
PANELS = ("formreload", "scriptreload", "script2reload", "emailreload", "chatreload", "callbacksreload")
_FOUND = {panel: re.compile(panel, re.IGNORECASE | re.ASCII) for panel in PANELS}


def reload_note(panel: str) -> str:
    """What the debug page says of a panel asked for: "script 2 reload triggered" for script2reload."""
    return panel.replace("2", " 2").replace("reload", " reload triggered")


def _valid(call: AgentCall) -> bool:
    # Only agent_user is checked; this function has no alt_user.
    if len(call.p["agent_user"]) < 1:
        call.say(f"ERROR: agent_user not valid - {call.p['agent_user']}\n")
        return False
    return True


@host_function("agent_api", "refresh_panel", params={name: AGENT_FILTERS[name] for name in ("agent_user", "value")},
               steps=("permission", "logged_in"), check=_valid)
def refresh_panel(call: AgentCall) -> None:
    agent_user = call.p["agent_user"]
    panels = ",".join(panel for panel in PANELS if _FOUND[panel].search(call.query_string))
    for panel in panels.split(","):
        if panel:
            call.trace(reload_note(panel))
    if not panels:
        call.say(f"ERROR: no panels have been defined - {agent_user}\n")
        return
    # MySQL counts the rows an UPDATE changed, not the rows it matched: a row already asking for
    # the same panels counts 0. Compared here byte for byte, as MySQL compares the row images.
    rows = call.db.all("SELECT external_update_fields, external_update_fields_data FROM vicidial_live_agents "
                       "WHERE user=?", agent_user)
    changed = sum(1 for flag, data in rows if (str(flag) if flag is not None else None, data) != ("1", panels))
    call.comment(f"UPDATE vicidial_live_agents set external_update_fields='1',external_update_fields_data="
                 f"'{panels}' where user='{agent_user}';")
    call.db.write("UPDATE vicidial_live_agents SET external_update_fields='1', external_update_fields_data=? "
                  "WHERE user=?", panels, agent_user)
    call.say(f"SUCCESS: refresh_panel request sent - {call.p['user']}|{agent_user}|{changed}|{panels}|\n")

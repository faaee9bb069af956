"""``webphone_url``: the webphone URL of the agent's session (vicidial_session_data), shown as it
is (DISPLAY) or as a page that sends the browser there (LAUNCH)."""

from __future__ import annotations

from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall, value_check
from ..registry import host_function

# Longer than this many bytes, or the session has no webphone.
_URL_MIN = 5


@host_function("agent_api", "webphone_url", params=AGENT_FILTERS, steps=AGENT_STEPS,
               check=value_check("webphone_url", lambda value: value in ("DISPLAY", "LAUNCH")))
def webphone_url(call: AgentCall) -> None:
    agent_user = call.p["agent_user"]
    call.trace(f"select webphone_url from vicidial_session_data where user='{agent_user}';")
    session = call.db.one("SELECT webphone_url FROM vicidial_session_data WHERE user=?", agent_user)
    if session is None:
        call.say(f"ERROR: webphone_url error - no session data - {agent_user}\n")
        return
    url = "" if session[0] is None else str(session[0])
    if len(url) <= _URL_MIN:
        call.say(f"ERROR: webphone_url error - webphone url is empty - {agent_user}\n")
        return
    if call.p["value"] == "DISPLAY":
        call.say(url)   # the URL alone, no line end
        return
    call.say(f'<META HTTP-EQUIV=Refresh CONTENT="0; URL={url}">\n</HEAD>\n'
             "<BODY BGCOLOR=#FFFFFF marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n"
             f'<a href="{url}">click here to continue. . .</a>\n</BODY>\n')

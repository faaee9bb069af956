"""What force_fronter_leave_3way and force_fronter_audio_stop share: the closer's call, its fronter
among the logged-in agents, and the call's other cluster (CCC) when the fronter is not on this one.

Follows upstream www/agc/api.php (2.14-82): both functions take the lead of the closer's call (or,
with CCC_REMOTE, the lead_id another cluster sends), look for another agent on that lead, and with
LOCAL_AND_CCC fall back to the cluster that fronted the call: vicidial_ccc_log names its settings
container, whose entry (a ccc_lead_info URL of that cluster's Non-Agent API) is turned into this
function's CCC_REMOTE request on that cluster's Agent API, logged in vicidial_url_log and fetched
as PHP's file() would.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

from ..phpmath import php_str
from .agent_api import AGENT_FILTERS, AgentCall, value_check
from .php import keep

FRONTER_VALUES = ("LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE")
PARAMS = {**AGENT_FILTERS, "lead_id": "0-9"}
# Where upstream's file() call stands, as its error text names it.
_FILE_LINE = {"force_fronter_leave_3way": 4965, "force_fronter_audio_stop": 5235}
_FETCH_SECONDS = 60   # PHP's default_socket_timeout


def fronter_check(function: str):
    """value one of the three, and agent_user (or an alt_user of two or more)."""
    return value_check(function, lambda value: value in FRONTER_VALUES)


def call_lead(call: AgentCall) -> int | None:
    """The lead the fronter is looked for on: the agent's call, or with CCC_REMOTE the lead_id sent.
    None after saying why there is none (the agent is not logged in, or not on a call)."""
    agent_user, value = call.p["agent_user"], call.p["value"]
    lead_id = call.p["lead_id"] = keep(call.p["lead_id"], PARAMS["lead_id"])   # ASCII digits in both modes
    call.trace(f"SELECT count(*) from vicidial_live_agents where user='{agent_user}';")
    logged_in = call.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=?", agent_user) > 0
    if not logged_in and value != "CCC_REMOTE":
        call.say(f"ERROR: agent_user is not logged in - {agent_user}\n")
        return None
    call.trace(f"|SELECT lead_id from vicidial_live_agents where user='{agent_user}';|")
    row = call.db.one("SELECT lead_id FROM vicidial_live_agents WHERE user=? ORDER BY live_agent_id", agent_user)
    agent_lead = int(row[0] or 0) if row else 0
    if agent_lead > 0 or (len(lead_id) > 0 and value == "CCC_REMOTE"):
        # MySQL compares the INT column with '' as with 0
        return int(lead_id or 0) if value == "CCC_REMOTE" else agent_lead
    call.say(f"ERROR: agent_user is not on a phone call - {agent_user}\n")
    return None


def live_fronter(call: AgentCall, lead_id: int) -> str | None:
    """Another logged-in agent on the lead, the one whose last call began first."""
    agent_user = call.p["agent_user"]
    call.trace(f"|SELECT user from vicidial_live_agents where user!='{agent_user}' and lead_id='{lead_id}' "
               "order by last_call_time limit 1;|")
    row = call.db.one("SELECT user FROM vicidial_live_agents WHERE user<>? AND lead_id=? "
                      "ORDER BY last_call_time, live_agent_id LIMIT 1", agent_user, lead_id)
    return php_str(row[0]) if row else None


def over_ccc(call: AgentCall, function: str, lead_id: int) -> bool:
    """LOCAL_AND_CCC's fallback: the request sent to the cluster that fronted the call. True when that
    cluster answered; the URL and its answer (or PHP's error) are logged either way."""
    call.trace(f"|SELECT remote_lead_id,container_id from vicidial_ccc_log where lead_id='{lead_id}';|")
    order = call.db.dialect.as_inserted   # MyISAM's order: as inserted
    fronted = call.db.one(f"SELECT remote_lead_id, container_id FROM vicidial_ccc_log WHERE lead_id=?{order}", lead_id)
    if fronted is None:
        return False
    remote_lead_id, container_id = php_str(fronted[0]), php_str(fronted[1])
    call.trace(f"|SELECT container_entry from vicidial_settings_containers where container_id='{container_id}';|")
    entry = call.db.one("SELECT container_entry FROM vicidial_settings_containers WHERE container_id=?", container_id)
    if entry is None:
        return False
    url = php_str(entry[0]).replace(
        "ccc_lead_info", f"{function}&value=CCC_REMOTE&lead_id={remote_lead_id}&agent_user=CCC_REMOTE")
    url = re.sub(r"vicidial/non_agent_|admin/non_agent_", "agc/", url)
    call.trace(f"INSERT INTO vicidial_url_log SET uniqueid='',url_date='{call.now}',url_type='start',"
                 f"url='{url.replace(';', '')}',url_response='';")
    with call.db.write_lock:
        url_log_id = call.db.execute("INSERT INTO vicidial_url_log (uniqueid, url_date, url_type, url, url_response) "
                                     "VALUES ('', ?, 'start', ?, '')", call.now, url.replace(";", "")).lastrowid
    started = int(time.time())
    if call.debug:
        call.say(f"{url}<BR>\n")
    answer, error = _fetch(url)
    if call.debug:   # the answer's first line (PHP reads nothing from a failed file() but warns, unseen)
        call.say(f"{answer.splitlines(keepends=True)[0] if answer else ''}<BR>\n")
    if answer is not None:
        response = answer.replace(";", "")
        call.say(f"SUCCESS: {function} command sent over CCC - {container_id}\n")
    else:
        # PHP's web server default (html_errors on) writes the message's characters as HTML entities
        response = (f"PHP ERROR: Type=2 - Message={_html(f'file({url}): {error}')} - Line={_FILE_LINE[function]} - "
                    f"File={call.request.path}")
    call.trace(f"UPDATE vicidial_url_log SET response_sec='{int(time.time()) - started}',url_response='{response}' "
               f"where url_log_id='{url_log_id}';")
    call.db.write("UPDATE vicidial_url_log SET response_sec=?, url_response=? WHERE url_log_id=?",
                  int(time.time()) - started, response, url_log_id)
    return answer is not None


def _fetch(url: str) -> tuple[str | None, str]:
    """The answer as PHP's file() gives it (None for no lines at all), or why it failed. Only http and
    https: a reference host reads no local file a container names."""
    if not re.match(r"https?://", url, re.IGNORECASE):
        return None, "Failed to open stream: No such file or directory"
    try:
        with urllib.request.urlopen(url, timeout=_FETCH_SECONDS) as answer:   # noqa: S310 (http(s) only)
            text = answer.read().decode("latin-1")
    except urllib.error.HTTPError as refused:
        return None, f"Failed to open stream: HTTP request failed! HTTP/1.1 {refused.code} {refused.reason}"
    except (urllib.error.URLError, OSError) as failed:
        reason = getattr(failed, "reason", failed)
        text_reason = getattr(reason, "strerror", None) or str(reason)
        return None, f"Failed to open stream: {text_reason}"
    return (text or None), ""


def _html(text: str) -> str:
    """PHP's html_errors escaping of a warning (htmlspecialchars with ENT_QUOTES)."""
    for raw, entity in (("&", "&amp;"), ('"', "&quot;"), ("'", "&#039;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(raw, entity)
    return text

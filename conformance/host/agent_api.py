"""``/agc/api.php``: the Agent API preamble and the functions vicicert covers.

Behaviour follows upstream www/agc/api.php (2.14-82, build 250122-1010) and the
``user_authorization`` of www/agc/functions.php: the order of checks, each
parameter's character filter, and every text with its newline.
"""

from __future__ import annotations

import datetime as _dt
import time
from typing import Callable

from ..tables.database import Database
from ..tables.schema import fit
from .http import HostRequest, HostResponse, teapot
from .login import LOCK_ATTEMPTS, LOCK_SECONDS, count_failure, credentials_match
from .php import compare, keep, remove

VERSION, BUILD = "2.14-82", "250122-1010"

# Characters each parameter keeps (latin mode), from the preg_replace filters in api.php.
FILTERS = {
    "user": "-_0-9a-zA-Z", "pass": r"-.+/=_0-9a-zA-Z", "agent_user": "-_0-9a-zA-Z",
    "function": "-_0-9a-zA-Z", "value": r"-|_0-9a-zA-Z", "source": "0-9a-zA-Z",
    "format": "0-9a-zA-Z", "alt_user": "0-9a-zA-Z",
}


class AgentApi:
    """Answers Agent API requests from the upstream tables."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time):
        self.db = database
        self.clock = clock

    def __call__(self, request: HostRequest) -> HostResponse:
        return _AgentCall(self, request).run()


class _AgentCall:
    """One request's state, as api.php keeps it in globals."""

    def __init__(self, api: AgentApi, request: HostRequest):
        self.db = api.db
        self.epoch = int(api.clock())
        self.now = _dt.datetime.fromtimestamp(self.epoch).strftime("%Y-%m-%d %H:%M:%S")
        self.request = request
        self.out: list[str] = []

    def say(self, text: str) -> None:
        self.out.append(text)

    def run(self) -> HostResponse:
        response = HostResponse()
        self._run(response)
        response.body = "".join(self.out)
        return response

    def _run(self, response: HostResponse) -> None:
        raw = {name: self.request.param(name) for name in (*FILTERS, "stage")}
        # Quotes, backslash, semicolon and space go before any lookup.
        user = remove(raw["user"], "'\"\\; ")
        password = remove(raw["pass"], "'\"\\; ")
        settings = self.db.one("SELECT use_non_latin FROM system_settings")
        non_latin = bool(settings and int(settings[0] or 0) >= 1)
        # The API user's settings are read with the user as pre-filtered so far.
        account = self.db.one(
            "SELECT api_list_restrict, api_allowed_functions, user_group FROM vicidial_users WHERE user=?", user)
        self.allowed_functions = (account[1] or "") if account else ""
        self.user_group = (account[2] or "") if account else ""
        self.stage = remove(raw["stage"], "'\"\\;")
        p = {name: keep(value, FILTERS[name], non_latin) for name, value in raw.items() if name in FILTERS}
        p["user"] = keep(user, FILTERS["user"], non_latin)
        p["pass"] = keep(password, FILTERS["pass"], non_latin)
        self.p = p
        function = p["function"]

        if function == "version":
            self.say(f"VERSION: {VERSION}|BUILD: {BUILD}|DATE: {self.now}|EPOCH: {self.epoch}\n")
            return
        coffee = teapot(function, response)
        if coffee is not None:
            self.say(coffee)
            return
        if len(p["source"]) < 2:
            self.say(f"ERROR: Invalid Source - {p['source']}\n")
            return
        auth_message = self._authorize(p["user"], p["pass"])
        auth = 1 if auth_message == "GOOD" else 0
        auth_api = self.db.value(
            "SELECT count(*) FROM vicidial_users WHERE user=? AND vdc_agent_api_access='1'", p["user"])
        if len(p["user"]) < 2 or len(p["pass"]) < 2 or auth == 0 or auth_api == 0:
            self.say(f"ERROR: Invalid Username/Password: |{p['user']}|{p['pass']}|{auth}|{auth_api}|{auth_message}|\n")
            return
        if self.db.value("SELECT count(*) FROM system_settings WHERE vdc_agent_api_active='1'") == 0:
            self.say("ERROR: System API NOT ACTIVE\n")
            return
        handler = {"pause_code": self._pause_code, "recording": self._recording}.get(function)
        if handler is not None:  # an unknown or missing function answers with nothing at all
            handler()

    # -- functions.php user_authorization, as api.php calls it ----------------------

    def _authorize(self, user: str, password: str) -> str:
        if not credentials_match(self.db, user, password, 0, self.epoch):
            # The agc/ user_authorization reports its own query, password and all.
            statement = (f"SELECT count(*) from vicidial_users where user='{user}' and pass='{password}' "
                         f"and user_level > 0 and active='Y' and ( (failed_login_count < {LOCK_ATTEMPTS}) or "
                         f"(UNIX_TIMESTAMP(last_login_date) < {self.epoch - LOCK_SECONDS}) );")
            locked = count_failure(self.db, user, self.epoch, self.now)
            return "LOCK" if locked else f"BAD|0|api|{statement}"
        servers = self.db.value("SELECT count(*) FROM servers WHERE active='Y' AND active_asterisk_server='Y'")
        return "GOOD" if servers > 0 else "ERRSERVERS"

    # -- shared steps of the agent functions -------------------------------------------

    def _permitted(self, function: str) -> bool:
        allowed = self.allowed_functions
        if f" {function} " in allowed or "ALL_FUNCTIONS" in allowed:
            return True
        self.say(f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
                 f"{self.p['value']}|{self.p['user']}|{function}|{self.user_group}\n")
        return False

    def _resolve_alt_user(self) -> None:
        alt_user = self.p["alt_user"]
        if len(alt_user) > 1:
            found = self.db.one("SELECT user FROM vicidial_users WHERE custom_three=? ORDER BY user", alt_user)
            if found:
                self.p["agent_user"] = found[0]
            else:  # upstream does not stop here: the logged-in check below still runs
                self.say(f"ERROR: no user found - {alt_user}\n")

    def _logged_in(self) -> bool:
        agent_user = self.p["agent_user"]
        if self.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=?", agent_user) > 0:
            return True
        self.say(f"ERROR: agent_user is not logged in - {agent_user}\n")
        return False

    # -- pause_code ------------------------------------------------------------------------

    def _pause_code(self) -> None:
        value, agent_user, alt_user = self.p["value"], self.p["agent_user"], self.p["alt_user"]
        if len(value) < 1 or len(value) > 6 or (len(agent_user) < 1 and len(alt_user) < 2):
            self.say(f"ERROR: pause_code not valid - {value}|{agent_user}\n")
            return
        if not self._permitted("pause_code"):
            return
        self._resolve_alt_user()
        if not self._logged_in():
            return
        agent_user = self.p["agent_user"]
        if self.db.one("SELECT status FROM vicidial_live_agents WHERE user=? AND status='PAUSED'", agent_user) is None:
            self.say(f"ERROR: pause_code error - agent is not paused - {agent_user}\n")
            return
        self.db.write("UPDATE vicidial_live_agents SET external_pause_code=? WHERE user=?",
                      fit("vicidial_live_agents", "external_pause_code", value), agent_user)
        self.say(f"SUCCESS: pause_code function sent - {agent_user}\n")

    # -- recording ----------------------------------------------------------------------------

    def _recording(self) -> None:
        value, agent_user, alt_user = self.p["value"], self.p["agent_user"], self.p["alt_user"]
        # Upstream tests for the words anywhere in the value, case-sensitively.
        if not any(word in value for word in ("START", "STOP", "STATUS")) or \
                (len(agent_user) < 1 and len(alt_user) < 2):
            self.say(f"ERROR: recording not valid - {value}|{agent_user}\n")
            return
        if not self._permitted("recording"):
            return
        self._resolve_alt_user()
        if not self._logged_in():
            return
        agent_user = self.p["agent_user"]
        recording_id, server_ip, conf_exten, status = self.db.one(
            "SELECT external_recording, server_ip, conf_exten, status FROM vicidial_live_agents WHERE user=?",
            agent_user)
        recording_id, server_ip, conf_exten, status = (
            "" if field is None else str(field) for field in (recording_id, server_ip, conf_exten, status))
        agent = f"{server_ip}|{conf_exten}|{status}"
        if value == "STATUS":
            # PHP 8 compares a non-numeric string with 0 as text, so a pending 'START_X' counts as active.
            if recording_id not in ("START", "STOP") and compare(recording_id, 0) > 0:
                row = self.db.one("SELECT filename, server_ip, start_time FROM recording_log WHERE recording_id=?",
                                  recording_id) or ("", "", "")
                filename, rec_server, start_time = ("" if field is None else str(field) for field in row)
                self.say(f"NOTICE: recording active - {agent_user}|{recording_id}|{filename}|{rec_server}|"
                         f"{start_time}|{agent}\n")
            else:
                self.say(f"NOTICE: not recording - {agent_user}|||||{agent}\n")
            return
        if "STOP" in value and (recording_id == "STOP" or compare(recording_id, 1) < 0):
            self.say(f"ERROR: stop recording error - {agent_user}|{recording_id}||||{agent}\n")
            return
        if len(self.stage) > 0 and "START" in value:
            value = value + self.stage[:14]
        self.db.write("UPDATE vicidial_live_agents SET external_recording=? WHERE user=?",
                      fit("vicidial_live_agents", "external_recording", value), agent_user)
        self.say(f"SUCCESS: recording function sent - {agent_user}|{value}||||{agent}\n")

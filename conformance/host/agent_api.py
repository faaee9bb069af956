"""``/agc/api.php``: the Agent API preamble, and the steps its functions share.

Behaviour follows upstream www/agc/api.php (2.14-82, build 250122-1010) and the
``user_authorization`` of www/agc/functions.php: the order of checks, each
parameter's character filter, and every text with its newline. The functions themselves
are modules of ``conformance/host/agent/``, found through the registry.
"""

from __future__ import annotations

import datetime as _dt
import time
from typing import Callable

from ..tables.database import Database
from ..tables.schema import fit
from .http import HostRequest, HostResponse, teapot
from .login import LOCK_ATTEMPTS, LOCK_SECONDS, count_failure, credentials_match
from .php import PhpArray, PhpFatal, keep, remove
from .registry import HostFunction, filter_table, functions

VERSION, BUILD = "2.14-82", "250122-1010"

# Characters the preamble's parameters keep (latin mode); the functions declare their own.
PREAMBLE_FILTERS = {
    "user": "-_0-9a-zA-Z", "pass": r"-.+/=_0-9a-zA-Z", "function": "-_0-9a-zA-Z", "source": "0-9a-zA-Z",
    "format": "0-9a-zA-Z",
}


class SqlError(PhpFatal):
    """A statement upstream builds that MySQL refuses (a quote in a value it does not escape):
    PHP 8's mysqli throws, and the request ends there with HTTP 500."""


class AgentApi:
    """Answers Agent API requests from the upstream tables."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time):
        self.db = database
        self.clock = clock
        self.functions = functions("agent_api")
        self.filters = filter_table("agent_api", PREAMBLE_FILTERS)

    def __call__(self, request: HostRequest) -> HostResponse:
        return AgentCall(self, request).run()


class AgentCall:
    """One request's state, as api.php keeps it in globals, and the steps functions pass through."""

    def __init__(self, api: AgentApi, request: HostRequest):
        self.api = api
        self.db = api.db
        self.epoch = int(api.clock())
        self.now = _dt.datetime.fromtimestamp(self.epoch).strftime("%Y-%m-%d %H:%M:%S")
        self.request = request
        self.out: list[str] = []
        self.p: dict[str, str] = {}
        self.query_string = ""
        self.stage = ""
        self.allowed_functions = self.user_group = ""
        self.debug = False    # format=debug: the answer inside an HTML page, with the statements run
        self.ended = False    # the script stopped where it stood (PHP's exit), before the page's end

    def say(self, text: str) -> None:
        self.out.append(text)

    def trace(self, statement: str) -> None:
        """A statement as upstream's debug mode prints it before running it, one line each."""
        if self.debug:
            self.say(f"{statement}\n")

    def comment(self, statement: str) -> None:
        """A change as the debug page shows it: an HTML comment on a line of its own."""
        if self.debug:
            self.say(f"\n<!-- {statement} -->")

    def exit(self) -> None:
        """The script ends here: with format=debug the page is left without its end."""
        self.ended = True

    def run(self) -> HostResponse:
        response = HostResponse()
        try:
            self._preamble(response)
        except PhpFatal:   # PHP died (a TypeError, mysqli throwing): a 500 with what was printed so far
            response.status, response.reason = 500, "Internal Server Error"
        response.body = "".join(self.out)
        return response

    def _preamble(self, response: HostResponse) -> None:
        filters = self.api.filters
        raw = {name: self.request.param(name) for name in (*filters, "stage")}
        if "value" not in self.request.get and "value" not in self.request.post:
            # api.php loops over $_POST with $value as its variable before it reads value: a request
            # that sends none has the last posted field's value
            raw["value"] = self.request.last_posted()
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
        self.query_string = query_string(self.request)
        # A filter of None: upstream leaves the parameter as sent (or filters it in its own way).
        p = {name: value if filters[name] is None else keep(value, filters[name], non_latin)
             for name, value in raw.items() if name in filters}
        p["user"] = keep(user, filters["user"], non_latin)
        p["pass"] = keep(password, filters["pass"], non_latin)
        self.p = p
        name = p["function"]

        if name == "version":
            self.say(f"VERSION: {VERSION}|BUILD: {BUILD}|DATE: {self.now}|EPOCH: {self.epoch}\n")
            return
        coffee = teapot(name, response)
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
        if p["format"] == "debug":
            self.debug = True
            self.say(page_head(p["user"]))
        function = self.api.functions.get(name)
        if function is not None:  # an unknown or missing function answers with nothing at all
            self._dispatch(function)
        if self.debug and not self.ended:
            self.say(page_end(max(0, int(self.api.clock()) - self.epoch)))

    def _dispatch(self, function: HostFunction) -> None:
        if function.check is not None and not function.check(self):
            return
        for step in function.steps:
            if not STEPS[step](self, function.name):
                return
        function.handler(self)

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

    def signal(self, column: str, value: str) -> None:
        """Store ``value`` in the agent's vicidial_live_agents ``column`` (cut to its width, as
        MySQL does) for the agent screen to act on."""
        self.comment(f"UPDATE vicidial_live_agents set {column}='{value}' where user='{self.p['agent_user']}';")
        self.db.write(f"UPDATE vicidial_live_agents SET {column}=? WHERE user=?",
                      fit("vicidial_live_agents", column, value), self.p["agent_user"])

    # -- the steps functions declare, in upstream's order ------------------------------

    def permitted(self, function: str) -> bool:
        """The API user's allowed functions (api_allowed_functions) name this one, or all."""
        allowed = self.allowed_functions
        if f" {function} " in allowed or "ALL_FUNCTIONS" in allowed:
            return True
        self.say(f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
                 f"{self.p['value']}|{self.p['user']}|{function}|{self.user_group}\n")
        self.exit()
        return False

    def resolve_alt_user(self, _function: str) -> bool:
        """alt_user (custom_three) names the agent; upstream goes on when none is found."""
        alt_user = self.p["alt_user"]
        if len(alt_user) > 1:
            self.trace(f"select count(*) from vicidial_users where custom_three='{alt_user}';")
            found = self.db.one("SELECT user FROM vicidial_users WHERE custom_three=? ORDER BY user", alt_user)
            if found:
                self.trace(f"select user from vicidial_users where custom_three='{alt_user}' order by user;")
                self.p["agent_user"] = found[0]
            else:  # upstream does not stop here: the logged-in check below still runs
                self.say(f"ERROR: no user found - {alt_user}\n")
        return True

    def logged_in(self, _function: str) -> bool:
        """The agent has a vicidial_live_agents row."""
        agent_user = self.p["agent_user"]
        self.trace(f"select count(*) from vicidial_live_agents where user='{agent_user}';")
        if self.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=?", agent_user) > 0:
            return True
        self.say(f"ERROR: agent_user is not logged in - {agent_user}\n")
        return False


def query_string(request: HostRequest) -> str:
    """api.php's own query string: QUERY_STRING as sent, or the POST fields as key=value pairs
    (decoded), or both joined by GET-AND-POST=Y; quotes, backslash and semicolon removed."""
    posted = remove("&".join(f"{key}={value}" for key, value in request.post.items()), "'\"\\;")
    text = request.query
    if len(text) < 1 and len(posted) > 2:
        text = posted
    if len(text) > 0 and len(posted) > 2:  # true right after the line above too: the fields appear twice
        text += "&GET-AND-POST=Y&" + posted
    return remove(text, "'\"\\;")


def page_head(user: str) -> str:
    """What format=debug prints once the API user is let in: the page's head and body tag, with the
    version, build and user in a comment that upstream never closes."""
    return ("<html>\n<head>\n"
            f"<!-- VERSION: {VERSION}     BUILD: {BUILD}    USER: {user}\n"
            "<title>VICIDiaL Agent API</title>\n</head>\n"
            "<BODY BGCOLOR=white marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n")


def page_end(seconds: int) -> str:
    """The end of the format=debug page, where the script runs to its end: the run time and closing tags."""
    return f"\n<!-- script runtime: {seconds} seconds -->\n</body>\n</html>\n"


STEPS: dict[str, Callable[[AgentCall, str], bool]] = {
    "permission": AgentCall.permitted, "alt_user": AgentCall.resolve_alt_user, "logged_in": AgentCall.logged_in,
}
# Filters the agent functions share (upstream filters these once, at the top of api.php).
AGENT_FILTERS = {"agent_user": "-_0-9a-zA-Z", "alt_user": "0-9a-zA-Z", "value": r"-|_0-9a-zA-Z"}
# ingroup_choices: upstream makes + (sent as %2B) a space, then keeps letters, digits, -, _ and
# spaces; keeping + in the filter and making it a space after (ingroup_choices) comes to the same.
INGROUP_FILTER = "- +_0-9a-zA-Z"


def ingroup_choices(call: AgentCall) -> str | PhpArray:
    """ingroup_choices as upstream reads it, for every function that registers it with
    ``INGROUP_FILTER``: each + a space; an array stays an array."""
    sent = call.p["ingroup_choices"]
    return sent if isinstance(sent, PhpArray) else sent.replace("+", " ")


# The steps most agent functions pass through after their own check, in upstream's order.
AGENT_STEPS = ("permission", "alt_user", "logged_in")


def value_check(function: str, value_ok: Callable[[str], bool], alt_user_min: int = 2) -> Callable[[AgentCall], bool]:
    """The check most agent functions open with: a value they accept, and agent_user (or an
    alt_user of at least ``alt_user_min`` characters); otherwise "not valid" with both echoed."""
    def check(call: AgentCall) -> bool:
        value, agent_user, alt_user = call.p["value"], call.p["agent_user"], call.p["alt_user"]
        if value_ok(value) and (len(agent_user) >= 1 or len(alt_user) >= alt_user_min):
            return True
        call.say(f"ERROR: {function} not valid - {value}|{agent_user}\n")
        return False
    return check

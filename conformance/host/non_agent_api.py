"""``/vicidial/non_agent_api.php``: the Non-Agent API preamble and the steps its functions share.

Behaviour follows upstream www/vicidial/non_agent_api.php (2.14-202, build 250720-1841)
and the ``user_authorization`` of www/vicidial/functions.php ('REPORTS': level 7 and up).
The functions themselves are modules of ``conformance/host/non_agent/``, found through the
registry; each returns its whole answer.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from dataclasses import dataclass
from typing import Any, Callable

from ..phpmath import php_str
from ..tables.database import Database
from .http import HostRequest, HostResponse, teapot
from .login import count_failure, credentials_match
from .php import PhpFatal, keep, remove
from .registry import HostFunction, filter_table, functions

VERSION, BUILD = "2.14-202", "250720-1841"
# Characters the preamble's parameters keep in latin mode; the functions declare their own.
PREAMBLE_FILTERS = {"user": "-_0-9a-zA-Z", "pass": "-_0-9a-zA-Z", "function": "-_0-9a-zA-Z", "source": "0-9a-zA-Z"}


class NonAgentApi:
    """Answers Non-Agent API requests; ``arithmetic`` 'documented' fixes upstream's export quirks."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time, arithmetic: str = "reference"):
        self.db = database
        self.clock = clock
        self.arithmetic = arithmetic
        self.functions = functions("non_agent_api")
        self.filters = filter_table("non_agent_api", PREAMBLE_FILTERS)
        self._resources: dict[str, Any] = {}   # what a function keeps between requests (scanner threads)

    def resource(self, name: str, make: Callable[[], Any]) -> Any:
        """The function's kept object, made on first use; closed with the host."""
        if name not in self._resources:
            self._resources[name] = make()
        return self._resources[name]

    def close(self) -> None:
        """Close what the functions kept (their connections are already back in the pool)."""
        for kept in self._resources.values():
            close = getattr(kept, "close", None)
            if close is not None:
                close()
        self._resources.clear()

    def __call__(self, request: HostRequest) -> HostResponse:
        response = HostResponse()
        try:
            response.body = self._answer(request, response)
        except PhpFatal as fatal:   # PHP died (a TypeError, mysqli throwing): HTTP 500
            response.status, response.reason = 500, "Internal Server Error"
            response.body = getattr(fatal, "printed", "")   # what the function had echoed by then
        return response

    def _answer(self, request: HostRequest, response: HostResponse) -> str:
        settings = self.db.one("SELECT use_non_latin FROM system_settings")
        non_latin = bool(settings and int(settings[0] or 0) > 0)
        raw = {name: request.param(name) for name in self.filters}
        if non_latin:  # upstream then strips only quotes, backslash, ; and # from three values
            p = dict(raw)
            for name in ("user", "pass", "source"):
                p[name] = remove(raw[name], "'\"\\;#")
        else:
            p = {name: value if self.filters[name] is None else keep(value, self.filters[name])
                 for name, value in raw.items()}
        epoch = int(self.clock())
        name = p["function"]
        if name == "version":
            return self._version(epoch)
        coffee = teapot(name, response)
        if coffee is not None:
            return coffee
        auth = self._authorize(p["user"], p["pass"], epoch)
        if auth == "LOCK":
            return f"ERROR: Too many login attempts, try again in 15 minutes: |{p['user']}|LOCK|\n"
        if auth != "GOOD":
            return f"ERROR: Login incorrect, please try again: |{p['user']}|{p['pass']}|{auth}|\n"
        facts = self.db.one("SELECT api_list_restrict, api_allowed_functions, user_group, user_level "
                            "FROM vicidial_users WHERE user=? AND active='Y'", p["user"])
        restrict, allowed, group, level = facts or ("0", "", "", 0)
        call = NonAgentCall(self, p, allowed or "", epoch, user_group=group or "", user_level=int(level or 0),
                            ip=request.remote_addr, request=request, response=response)
        function = self.functions.get(name)
        if function is not None and function.list_restricted and int(restrict or 0) > 0:
            refusal = call.restrict_lists()
            if refusal is not None:
                return refusal
        if function is None:
            return "ERROR: NO FUNCTION SPECIFIED\n"
        return self._dispatch(function, call)

    def _dispatch(self, function: HostFunction, call: "NonAgentCall") -> str:
        for step in function.steps:
            refusal = STEPS[step](call, function)
            if refusal is not None:
                return refusal
        return function.handler(call)

    def _version(self, epoch: int) -> str:
        moment = _dt.datetime.fromtimestamp(epoch)
        dst = int(bool(time.localtime(epoch).tm_isdst))
        gmt = self.db.value("SELECT local_gmt FROM servers WHERE active='Y' LIMIT 1")
        if gmt is not None:
            tz, tznow = str(gmt), (php_str(float(gmt) + 1) if dst and gmt else str(gmt))
        else:
            offset = moment.astimezone().strftime("%z")
            tz, tznow = "", php_str(int(offset.replace("+", "")) / 100 if int(offset) % 100 else int(offset) // 100)
        return (f"VERSION: {VERSION}|BUILD: {BUILD}|DATE: {moment:%Y-%m-%d %H:%M:%S}|EPOCH: {epoch}|"
                f"DST: {dst}|TZ: {tz}|TZNOW: {tznow}|\n")

    def _authorize(self, user: str, password: str, epoch: int) -> str:
        """www/vicidial/functions.php user_authorization with the 'REPORTS' option (level 7 and up)."""
        now = _dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")
        if credentials_match(self.db, user, password, 6, epoch):
            self.db.write("UPDATE vicidial_users SET last_login_date=?, failed_login_count=0 WHERE user=?", now, user)
            return "GOOD"
        return "LOCK" if count_failure(self.db, user, epoch, now) else "BAD"


@dataclass
class NonAgentCall:
    """One logged-in request: the filtered parameters and the API user's facts from the preamble.

    With ``api_list_restrict`` on, the list-restricted functions see only the lists of the
    user group's allowed campaigns: ``allowed_campaigns`` (None: every campaign, upstream's
    ``-ALL``) and ``allowed_lists`` (those campaigns' lists, by list_id) are set, as upstream
    sets them before the function runs; otherwise ``list_restricted`` is False."""

    api: NonAgentApi
    p: dict[str, str]
    allowed: str
    epoch: int
    user_group: str = ""
    user_level: int = 0
    list_restricted: bool = False
    allowed_campaigns: tuple[str, ...] | None = None
    allowed_lists: tuple[str, ...] = ()
    ip: str = ""   # the client's address (REMOTE_ADDR), which the admin log records
    request: HostRequest | None = None   # as sent: add_lead reads custom fields by their labels
    response: HostResponse | None = None   # the answer's status and headers (the body is the handler's return)

    @property
    def db(self) -> Database:
        return self.api.db

    def header(self, name: str, value: str) -> None:
        """Send ``name: value``, replacing a header of that name (in any letter case), as PHP's header() does."""
        if self.response is not None:
            self.response.headers = [(known, text) for known, text in self.response.headers
                                     if known.lower() != name.lower()] + [(name, value)]

    def restrict_lists(self) -> str | None:
        """Read the user group's allowed campaigns and their lists; the refusal when the group has no row."""
        row = self.db.one("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group=?", self.user_group)
        if row is None:
            return f"ERROR: user_group DOES NOT EXIST: |{self.p['user']}|{self.user_group}|\n"
        campaigns = row[0] or ""
        self.list_restricted = True
        if re.search(r"-ALL", campaigns, re.IGNORECASE):
            lists = self.db.all("SELECT list_id FROM vicidial_lists ORDER BY list_id")
        else:  # " A B -" is IN('','A','B'): the leading space leaves an empty name, as upstream's does
            self.allowed_campaigns = tuple(campaigns.replace(" -", "").split(" "))
            marks = ", ".join("?" for _ in self.allowed_campaigns)
            lists = self.db.all(f"SELECT list_id FROM vicidial_lists WHERE campaign_id IN ({marks}) ORDER BY list_id",
                                *self.allowed_campaigns)
        self.allowed_lists = tuple(str(list_id) for (list_id,) in lists)
        return None


def _source(call: NonAgentCall, _function: HostFunction) -> str | None:
    source = call.p["source"]
    if len(source) < 2:
        return f"ERROR: Invalid Source - {source}\nERROR: Invalid Source: |{source}|\n"
    return None


def _permission(call: NonAgentCall, function: HostFunction) -> str | None:
    if f" {function.name} " not in call.allowed and "ALL_FUNCTIONS" not in call.allowed:
        return f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |{call.p['user']}|{function.name}|\n"
    return None


def _gate(call: NonAgentCall, function: HostFunction) -> str | None:
    return function.gate.refuse(call.db, function.name, call.p["user"])


def _check(call: NonAgentCall, function: HostFunction) -> str | None:
    """The function's own request check where upstream makes it before the shared steps (its refusal)."""
    return function.check(call)


# The steps functions declare, each returning its refusal or None to go on.
STEPS: dict[str, Callable[[NonAgentCall, HostFunction], str | None]] = {
    "source": _source, "permission": _permission, "gate": _gate, "check": _check}

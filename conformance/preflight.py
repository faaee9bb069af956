"""Before any case: is the target VICIdial, which builds does it run, and does the API user log in?

A host that is down, a URL with ``/agc/api.php`` already on it, https against http or a
plain web server would otherwise give a hundred "failures" that a CI gate cannot tell from
real non-conformance. And a wrong password sent by every case locks the account (upstream
locks a user after 10 failed logins in 15 minutes), so the login is tried once per API and
a refusal stops the run; with ``refusals`` it is remembered, and a run within 15 minutes of it
does not log in at all (``refused_logins.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .client import Request, Target
from .errors import UsageError
from .redaction import Redactor, always_dropped
from .refused_logins import RefusedLogins
from .world import World

ENDPOINTS = {"agent_api": ("Agent API", "/agc/api.php"), "non_agent_api": ("Non-Agent API", "/vicidial/non_agent_api.php")}
_VERSION = re.compile(r"VERSION: (?P<version>[^|\s]+)\|BUILD: (?P<build>[^|\s]+)\|")
_REFUSED = {  # how each API says a login failed, and what the line's last field means
    "agent_api": re.compile(r"ERROR: Invalid Username/Password: \|[^|]*\|[^|]*\|(?P<auth>\d)\|(?P<api>\d)\|(?P<why>\w*)\|"),
    "non_agent_api": re.compile(r"ERROR: (?:Login incorrect, please try again|Too many login attempts, try again in "
                                r"15 minutes|Your IP Address is not allowed[^|]*): \|(?:[^|]*\|)*?(?P<why>BAD|LOCK|IPBLOCK)\|"),
}
LOCKOUT = "upstream locks a user after 10 failed logins in 15 minutes, so the run stopped after one login per API"


@dataclass
class Preflight:
    """What the target said about itself."""

    builds: dict[str, str] = field(default_factory=dict)     # api -> "2.14-82 (build 250122-1010)"
    versions: dict[str, str] = field(default_factory=dict)   # api -> "2.14-82": which build's texts apply
    logins: dict[str, str] = field(default_factory=dict)     # api -> "6666: logged in"

    def lines(self) -> list[str]:
        found = [f"{ENDPOINTS[api][0]}: VICIdial {build}" for api, build in self.builds.items()]
        return found + [f"{ENDPOINTS[api][0]} login as {login}" for api, login in self.logins.items()]


def preflight(target: Target, world: World | None, apis=tuple(ENDPOINTS),
              refusals: RefusedLogins | None = None) -> Preflight:
    """Ask each of ``apis`` for its version and, when ``world`` declares the API user, log in once to each.
    ``refusals``: where refused logins of real accounts are remembered, and a recent one stops the run
    before any login."""
    found = Preflight()
    redact = Redactor(set(world.secrets) if world is not None else set())
    apis = [api for api in ENDPOINTS if api in apis]
    for api in apis:
        name, path = ENDPOINTS[api]
        exchange = target.send(Request(path, (("function", "version"),)))
        where = f"{target.base_url}{path}"
        if exchange.error:
            raise UsageError(f"preflight: {where} did not answer ({exchange.error}): check the target URL and that "
                             "the host is up")
        match = _VERSION.match(exchange.text)
        if exchange.status != 200 or not match:
            raise UsageError(f"preflight: {where} does not answer like VICIdial's {name} (HTTP {exchange.status}, "
                             f"{redact.excerpt(exchange.text, 0, 60)!r}): give the host's root URL (without /agc/api.php) with the "
                             "right scheme, http or https")
        found.builds[api] = f"{match['version']} (build {match['build']})"
        found.versions[api] = match["version"]
    if world is not None and "api_admin" in world.api_users:
        admin = world.api_users["api_admin"]
        for api in apis:   # before any login: a password the API's filter changes can never log in
            _loggable(api, str(admin["user"]), str(admin.get("pass", "")))
        if refusals is not None:
            refusals.hold(target.base_url, str(admin["user"]))
        for api in apis:
            found.logins[api] = f"{admin['user']}: " + _log_in(target, api, str(admin["user"]),
                                                               str(admin.get("pass", "")), refusals)
        if refusals is not None:
            refusals.forget(target.base_url, str(admin["user"]))
    return found


def login_refused(api: str, text: str) -> bool:
    """True when ``text`` is ``api``'s answer to a refused login (bad password, locked, IP blocked)."""
    return _REFUSED[api].match(text) is not None


def _loggable(api: str, user: str, password: str) -> None:
    """A UsageError when ``api``'s filter of ``pass`` drops characters of ``password`` in either
    character mode: the stored password is then never what the login compares, so every case
    would be a failed login (and ten lock the account)."""
    dropped = always_dropped(password, api)
    if dropped:
        kept = "letters, digits, - and _" if api == "non_agent_api" else "letters, digits and - . + / = _"
        raise UsageError(f"preflight: the password of user {user} holds {dropped} character{'s' if dropped > 1 else ''} "
                         f"the {ENDPOINTS[api][0]} drops from pass before the login, so it can never log in there: "
                         f"upstream keeps only {kept}; give the user a password made of those (no login was tried)")


def _log_in(target: Target, api: str, user: str, password: str, refusals: RefusedLogins | None) -> str:
    name, path = ENDPOINTS[api]
    exchange = target.send(Request(path, (("source", "vicicert"), ("user", user), ("pass", password),
                                          ("function", "vicicert_preflight"))))
    refused = _REFUSED[api].match(exchange.text)
    if exchange.error or not refused:
        return "logged in"
    if api == "agent_api" and refused["auth"] == "1" and refused["api"] == "0":
        raise UsageError(f"preflight: the {name} user {user} logs in but has no Agent API access "
                         "(vicidial_users.vdc_agent_api_access): give a user that has it")
    if refused["why"] == "IPBLOCK":
        raise UsageError(f"preflight: the {name} refused the login of user {user} from this machine's IP address "
                         "(IPBLOCK): allow the address for the user on the host")
    remembered = "" if refusals is None else "; " + refusals.remember(target.base_url, user)
    if refused["why"] == "LOCK":
        raise UsageError(f"preflight: the {name} user {user} is locked after too many failed logins: wait 15 minutes, "
                         f"then run again with the right password{remembered}")
    raise UsageError(f"preflight: the {name} refused the login of user {user} ({refused['why'] or 'BAD'}): check "
                     "the password (in the variable --pass-env names, VICIDIAL_PASS unless told, or the world's "
                     f"pass_env); {LOCKOUT}{remembered}")

"""Before any case: is the target VICIdial, which builds does it run, does the API user log in,
and does the host hold the declared world?

A host that is down, a URL with ``/agc/api.php`` already on it, https against http or a
plain web server would otherwise give a hundred "failures" that a CI gate cannot tell from
real non-conformance. And a wrong password sent by every case locks the account (upstream
locks a user after 10 failed logins in 15 minutes), so the login is tried once per API and
a refusal stops the run. In declared mode each other API user the run needs logs in once too
(through the Agent API, whose login asks no user level and tells a password from API access),
and each agent it needs is looked up with the Non-Agent API's read-only ``agent_status``: an
agent missing or in another state than declared stops the run with one message naming the roles. With
``refusals`` a refused login is remembered, and a run within 15 minutes of it does not log in
at all (``refused_logins.py``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Collection

from .client import Exchange, Request, Target
from .declared_world import agent_mismatch, agent_unaskable, fact, login_mismatch
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
POLL_SECONDS = 0.5   # --wait: how often a starting target is asked again


@dataclass
class Preflight:
    """What the target said about itself."""

    builds: dict[str, str] = field(default_factory=dict)     # api -> "2.14-82 (build 250122-1010)"
    versions: dict[str, str] = field(default_factory=dict)   # api -> "2.14-82": which build's texts apply
    logins: dict[str, str] = field(default_factory=dict)     # api -> "6666: logged in"
    world: list[str] = field(default_factory=list)           # what was checked of the declared world

    def lines(self) -> list[str]:
        found = [f"{ENDPOINTS[api][0]}: VICIdial {build}" for api, build in self.builds.items()]
        return found + [f"{ENDPOINTS[api][0]} login as {login}" for api, login in self.logins.items()] + self.world


def preflight(target: Target, world: World | None, apis=tuple(ENDPOINTS), roles: Collection[str] | None = None,
              meaning: World | None = None, wait: float = 0.0,
              refusals: RefusedLogins | None = None) -> Preflight:
    """Ask each of ``apis`` for its version and, when ``world`` declares the API user, log in once to each;
    then check the world's other API users and agents (only ``roles``, the ones the run's cases name,
    when given; ``meaning``: the embedded world, whose rows say what a role means where the declared
    row is silent). ``wait``: seconds a target that is still starting gets to answer its first version.
    ``refusals``: where refused logins of real accounts are remembered; a recent one stops the run
    before any login."""
    found = Preflight()
    redact = Redactor(set(world.secrets) if world is not None else set())
    agents = {role: row for role, row in (world.agents.items() if world is not None else ())
              if roles is None or role in roles}
    admin = world.api_users.get("api_admin") if world is not None else None
    # agent_status (Non-Agent API) reads the agents, also in a run of Agent API cases alone, unless the
    # Non-Agent API's filter of pass would change the password (its login would then fail, and count)
    readable = bool(agents and admin and ("non_agent_api" in apis or not always_dropped(str(admin.get("pass", "")),
                                                                                         "non_agent_api")))
    asked = [api for api in ENDPOINTS if api in apis or (readable and api == "non_agent_api")]
    unread = ""   # why the agents cannot be read
    for number, api in enumerate(list(asked)):
        name, path = ENDPOINTS[api]
        exchange = _version(target, path, wait if number == 0 else 0.0)
        where = f"{target.base_url}{path}"
        if api not in apis and (exchange.error or exchange.status != 200 or not _VERSION.match(exchange.text)):
            # asked only to read the agents: a target that serves the Agent API alone (a proxy) still runs
            unread = f"{where} does not answer like VICIdial's {name} ({exchange.error or f'HTTP {exchange.status}'})"
            asked.remove(api)
            continue
        waited = f" within --wait {wait:g} s" if wait and number == 0 else ""
        starting = "" if wait or not (exchange.error or exchange.status >= 500) else \
            " (a host still starting: --wait SECONDS asks again until it answers)"
        if exchange.error:
            raise UsageError(f"preflight: {where} did not answer{waited} ({exchange.error}): check the target URL "
                             f"and that the host is up{starting}")
        match = _VERSION.match(exchange.text)
        if exchange.status != 200 or not match:
            raise UsageError(f"preflight: {where} does not answer like VICIdial's {name}{waited} (HTTP "
                             f"{exchange.status}, {redact.excerpt(exchange.text, 0, 60)!r}): give the host's root URL "
                             f"(without /agc/api.php) with the right scheme, http or https{starting}")
        found.builds[api] = f"{match['version']} (build {match['build']})"
        found.versions[api] = match["version"]
    if admin is not None:
        for api in asked:   # before any login: a password the API's filter changes can never log in
            _loggable(api, str(admin["user"]), str(admin.get("pass", "")))
        if refusals is not None:
            refusals.hold(target.base_url, str(admin["user"]))
        for api in asked:
            found.logins[api] = f"{admin['user']}: " + _log_in(target, api, str(admin["user"]),
                                                               str(admin.get("pass", "")), refusals)
        if refusals is not None:
            refusals.forget(target.base_url, str(admin["user"]))
    if world is not None:
        found.world += _check_api_users(target, world, [api for api in ENDPOINTS if api in apis], roles, meaning,
                                        redact)
        found.world += [] if not agents else _check_agents(target, world, agents, redact) if readable and not unread \
            else [f"agents NOT checked ({len(agents)} declared): " + (
                "the world declares no api_admin to ask agent_status with" if admin is None else unread if unread else
                "the password of api_admin holds characters the Non-Agent API drops, so it cannot ask agent_status")]
    return found


def _version(target: Target, path: str, wait: float) -> Exchange:
    """The answer to ``function=version``; a target still starting (no answer, or not yet VICIdial's)
    is asked again every POLL_SECONDS for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        exchange = target.send(Request(path, (("function", "version"),)))
        if (not exchange.error and exchange.status == 200 and _VERSION.match(exchange.text)) \
                or time.monotonic() + POLL_SECONDS > deadline:
            return exchange
        time.sleep(POLL_SECONDS)


def _check_api_users(target: Target, world: World, apis: list[str], roles, meaning: World | None,
                     redact: Redactor) -> list[str]:
    """Each API user but api_admin logs in once: through the Agent API (any user level; its refusal says
    apart a wrong password and missing API access), else the Non-Agent API for a role above level 6."""
    checked, untried = [], []
    for role, row in world.api_users.items():
        if role == "api_admin" or (roles is not None and role not in roles):
            continue
        means = meaning.api_users.get(role) if meaning is not None else None
        user, password = str(row["user"]), str(row.get("pass", ""))
        if fact(row, means, "active") == "N":
            untried.append(f"{role} (inactive: its login would count as a failed one)")
            continue
        api = "agent_api" if "agent_api" in apis else "non_agent_api"
        if api == "non_agent_api" and int(fact(row, means, "user_level") or 0) < 7:
            untried.append(f"{role} (the Non-Agent API refuses a user level below 7)")
            continue
        _loggable(api, user, password)
        exchange = target.send(Request(ENDPOINTS[api][1], (("source", "vicicert"), ("user", user), ("pass", password),
                                                            ("function", "vicicert_preflight"))))
        refused = None if exchange.error else _REFUSED[api].match(exchange.text)
        access = fact(row, means, "vdc_agent_api_access") if api == "agent_api" else None
        problem = login_mismatch(role, user, refused.groupdict() if refused else None, access)
        if problem:
            said = redact.excerpt(exchange.text.strip(), 0, 80) if not exchange.error else exchange.error
            raise UsageError(f"preflight: the host does not hold the declared API users: {problem} (the host said "
                             f"{said!r}); one login was sent for it, and no case ({LOCKOUT})")
        checked.append(role)
    lines = [f"API users as declared: {len(checked)} logged in once each"] if checked else []
    return lines + ([f"API users not tried: {', '.join(untried)}"] if untried else [])


def _check_agents(target: Target, world: World, agents: dict[str, dict[str, Any]], redact: Redactor) -> list[str]:
    """Each agent looked up with agent_status (read-only) as api_admin; every mismatch in one message."""
    admin, problems = world.api_users["api_admin"], []
    for role, row in agents.items():
        exchange = target.send(Request(ENDPOINTS["non_agent_api"][1], (
            ("source", "vicicert"), ("user", str(admin["user"])), ("pass", str(admin.get("pass", ""))),
            ("function", "agent_status"), ("agent_user", str(row.get("user", ""))))))
        answer = redact(exchange.text) if not exchange.error else f"no answer ({exchange.error})"
        if agent_unaskable(answer):
            return [f"agents NOT checked: the Non-Agent API does not let user {admin['user']} call agent_status "
                    f"({answer.strip()!r}); give it view_reports, user level 7 or more and agent_status among its "
                    "allowed functions to have the declared agents checked"]
        if problem := agent_mismatch(role, row, answer):
            problems.append(problem)
    if problems:
        where = f" ({world.path})" if world.path else ""
        raise UsageError(f"preflight: the host does not hold the declared agents{where}, so the cases that need "
                         "them would fail as if the host did not conform; no case was sent:\n  "
                         + "\n  ".join(problems) + "\nfix the world file's agents (or put the agents back in their "
                         "declared state), then run again")
    return [f"agents as declared: {len(agents)} (read with agent_status)"]


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
    level = " and that its user level is 7 or more (the Non-Agent API's rule)" if api == "non_agent_api" else ""
    raise UsageError(f"preflight: the {name} refused the login of user {user} ({refused['why'] or 'BAD'}): check "
                     "the password (in the variable --pass-env names, VICIDIAL_PASS unless told, or the world's "
                     f"pass_env){level}; {LOCKOUT}{remembered}")

"""The security profile: informational findings, never a failed case.

Per case, inside the run (the raw answer is needed to see an echoed secret): a password the
request sent, or any account's password, coming back in the answer, and SQL text in an
answer (upstream shows both on a failed login). Findings say only that it happened and
where (case and line), never the secret or the statement. Per run: credentials accepted over
plain http, and whether a throw-away account locks after repeated failed logins.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..client import Request, Target
from ..execution import CaseResult
from ..preflight import login_refused
from ..redaction import Redactor, secret_forms
from ..world import World

_SQL = re.compile(r"\b(?:SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\b.*\bSET|DELETE\s+FROM)\b", re.IGNORECASE)
LOCK_PROBE_ROLE = "api_wrong_pass"   # the world's throw-away account, never one a person uses
LOCK_PROBE_FAILURES = 10             # upstream locks after 10 failed logins in 15 minutes
_NON_AGENT = "/vicidial/non_agent_api.php"


def case_findings(result: CaseResult, redact: Redactor) -> list[dict]:
    """What one case's raw answer shows that it should not: echoed passwords, echoed SQL."""
    exchange = result.exchange
    if exchange is None or not exchange.body:
        return []
    lines = exchange.text.splitlines()
    sent = dict(exchange.request.params).get("pass") or ""
    forms = secret_forms(sent) if len(sent) >= 4 else set()
    # only the password this request sent: the redactor also masks the database URL's password,
    # which a short one (cron's 1234) would "find" inside any number
    echoed = [number for number, line in enumerate(lines, 1) if any(form in line for form in forms)]
    sql = [number for number, line in enumerate(lines, 1) if _SQL.search(line)]
    findings = []
    if echoed:
        findings.append({"kind": "secret_echoed", "case": result.case.id, "lines": echoed,
                         "detail": "the password the request sent comes back in the answer"})
    if sql:
        findings.append({"kind": "sql_echoed", "case": result.case.id, "lines": sql,
                         "detail": "the answer shows SQL text (a statement the host ran or built)"})
    return findings


def plain_http_logins(records: list[dict]) -> list[dict]:
    """One finding when a target took a password over plain http and did not refuse the login."""
    accepted = sorted(record["id"] for record in records
                      if record.get("answer") and not record["answer"]["error"]
                      and urlsplit(record.get("request", "")).scheme == "http"
                      and "pass=" in urlsplit(record["request"]).query
                      and not login_refused(record["api"], record["answer"]["body"]))
    if not accepted:
        return []
    return [{"kind": "credentials_over_http", "case": accepted[0], "cases": len(accepted),
             "detail": f"{len(accepted)} cases sent a password over plain http and the login was not refused"}]


def probe_lockout(target: Target, world: World) -> dict:
    """Log the throw-away account in, fail its login LOCK_PROBE_FAILURES times, then log in again.

    Only for a world the harness wrote (embedded or SQL fixture mode): a declared account is
    a real one, and locking it is harm. Returns what happened, as plain data."""
    account = world.api_users.get(LOCK_PROBE_ROLE)
    if account is None:
        return {"probed": False, "reason": f"the world has no {LOCK_PROBE_ROLE} account"}
    user, password = str(account["user"]), str(account.get("pass", ""))
    if not _accepted(target, user, password):
        return {"probed": False, "reason": f"the {LOCK_PROBE_ROLE} account did not log in to the Non-Agent API"}
    for attempt in range(1, LOCK_PROBE_FAILURES + 1):
        _accepted(target, user, f"vicicert-wrong-{attempt}")
    locked = not _accepted(target, user, password)
    return {"probed": True, "locked": locked, "failures": LOCK_PROBE_FAILURES, "account": LOCK_PROBE_ROLE}


def _accepted(target: Target, user: str, password: str) -> bool:
    exchange = target.send(Request(_NON_AGENT, (("source", "vicicert"), ("user", user), ("pass", password),
                                                ("function", "vicicert_lockout_probe"))))
    return exchange.error is None and exchange.status == 200 and not login_refused("non_agent_api", exchange.text)


def lockout_findings(probe: dict | None) -> list[dict]:
    if probe and probe.get("probed") and not probe["locked"]:
        return [{"kind": "never_locks", "case": "", "detail": f"the {probe['account']} account still logged in with "
                 f"its password after {probe['failures']} failed logins in a row"}]
    return []

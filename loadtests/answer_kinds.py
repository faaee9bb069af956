"""What kind of wrong an answer is, in the words of each load profile: pure functions of the answer
(no Locust import, so tests judge every kind without starting a run)."""

from __future__ import annotations

import functools

from conformance.client import Exchange, Request
from conformance.matcher import PHP_ERROR, Expected, WrongField, difference
from conformance.template import Template
from loadtests.server_failures import CLOSED_WITHOUT_ANSWER, LIKELY_CAUSES, server_failure


def signal_answer_kind(body: str, agent: dict, status: int, dropped: bool, closed: bool = False) -> str:
    """What kind of wrong an answer is (``dropped``: the connection ended before the answer did;
    ``closed``: before its first byte, the host's connection closed without an answer)."""
    if status >= 500:
        return server_failure(status, body)
    if closed:
        return CLOSED_WITHOUT_ANSWER
    if dropped:
        return "transport"
    if PHP_ERROR.search(body):
        return "php_error_text"
    # agent|signal or recording id|filename|recording server|start time|agent server|session|status
    fields = body.split(" - ", 1)[1].rstrip("\n ").split("|") if " - " in body else []
    if fields and fields[0] != agent["user"]:
        return "cross_talk"
    if len(fields) == 8 and (fields[5], fields[6]) != (agent["server_ip"], agent["conf_exten"]):
        return "wrong_session"
    return "wrong_text"


@functools.lru_cache(maxsize=8)
def _as_template(expected: str) -> Template:
    """The expected export as a template, parsed once per window, not once per wrong answer."""
    return Template.parse(expected.replace("{", "{{").replace("}", "}}"))


def export_answer_problem(status: int, body: str, error: str | None, expected: str,
                          closed: bool = False) -> tuple[str, str] | None:
    """(kind, detail) of what is wrong with an answer, or None when it is the expected export
    (``closed``: the connection closed before the first byte of an answer)."""
    if closed:
        return CLOSED_WITHOUT_ANSWER, f"{error}: {LIKELY_CAUSES[CLOSED_WITHOUT_ANSWER]}"
    if error:
        return "dropped_connection", error
    if status >= 500:
        kind = server_failure(status, body)
        return kind, f"HTTP {status}" + (" with an empty body: PHP died (the host's PHP error log says why, at "
                                         "this size often its memory_limit)" if kind == "php_fatal" else "")
    if body == expected:  # first: a megabyte-long right answer needs no scan for PHP errors
        return None if status == 200 else ("http_status", f"HTTP {status} with the expected body")
    if PHP_ERROR.search(body):
        return "php_error_text", body[:120]
    if not body.endswith("\n") or body.count("\n") < expected.count("\n"):
        return "truncated_or_malformed", f"{len(body)} of {len(expected)} bytes, {body.count(chr(10))} lines"
    template = _as_template(expected)
    exchange = Exchange(Request("/vicidial/non_agent_api.php"), "", status=status, body=body.encode("utf-8"))
    found = difference(Expected(body=template), exchange, {})
    wrong = [m for m in found if isinstance(m, WrongField)]
    if wrong:
        return "wrong_figures", "; ".join(f"{m.field}: expected {m.expected}, got {m.actual}" for m in wrong[:3])
    return "truncated_or_malformed", found[0].describe() if found else "differs"

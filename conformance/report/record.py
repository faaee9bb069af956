"""One case's result as a plain-data record (JSON-able, secrets already masked).

Records are what every report works from: the JSON and HTML writers and the terminal
table. Under pytest-xdist a worker builds the record and it travels to the controller
on the test report, so one process writes the reports for the whole run.
"""

from __future__ import annotations

from ..client import PASSWORD_VARIABLE
from ..execution import CaseResult, Verdict
from ..failure import body_matched
from ..fingerprint import failure_signature
from ..spec import Effect

REPORTED_BODY = 64 * 1024   # characters of an answer kept in the reports (the specs' largest answer is far below)
STATUS_ORDER = {"failed": 0, "skipped": 1, "passed": 2}   # failures first, in every report


def case_record(result: CaseResult, nodeid: str = "", rerun: tuple[str, ...] = ()) -> dict:
    """``result`` as plain data; every text from the target or the world passes the redactor."""
    redact, case, exchange = result.redact, result.case, result.exchange
    record = {
        "id": case.id, "nodeid": nodeid, "api": case.api, "function": case.function, "name": case.name,
        "why": case.why, "generated": case.generated, "spec": f"{case.path}:{case.line}",
        "status": result.status, "skip_reason": redact(result.skip_reason),
        "matched": result.matched_sources, "drift": case.drifts, "rerun": list(rerun),
    }
    if case.effects:   # what the call must leave in the database, and whether this run could read it
        record["effects"] = {"stated": [_effect_text(effect) for effect in case.effects],
                             "checked": not result.effects_note and exchange is not None and not exchange.error,
                             "note": result.effects_note}
    if case.effects_unchecked:   # a writing case whose state cannot be read: the spec's word why
        record["effects_unchecked"] = case.effects_unchecked
    if exchange is not None:
        record["request"] = redact(exchange.url)
        record["curl"] = exchange.curl(redact)
        record["password_variable"] = PASSWORD_VARIABLE
        record["password_note"] = _password_note(result)
        record["answer"] = {"status": exchange.status, "elapsed_ms": round(exchange.elapsed * 1000, 3),
                            "bytes": exchange.size, "body": redact.excerpt(exchange.text, 0, REPORTED_BODY),
                            "body_characters_left_out": max(0, len(exchange.text) - REPORTED_BODY),
                            "error": exchange.error}
    if result.reference is not None:
        verdicts = [result.reference, *result.documented] if case.drifts else [result.reference]
        record["reference"] = _verdict_record(result.reference, result)
        record["documented"] = [_verdict_record(v, result) for v in result.documented] if case.drifts else []
        record["chosen"] = _chosen_index(result)
        record["texts"] = [{"source": v.outcome.source, "label": v.outcome.label, "note": v.outcome.note,
                            "matched": v.matched, "body_matched": body_matched(v)} for v in verdicts]
    if result.status == "failed":   # what the failure was (kind, first difference, fingerprint)
        record["failure"] = failure_signature(record)
    return record


def _verdict_record(verdict: Verdict, result: CaseResult) -> dict:
    redact = result.redact
    diff = verdict.diff.as_record() if verdict.diff is not None else None
    if diff is not None:
        diff["expected_line"], diff["actual_line"] = redact(diff["expected_line"]), redact(diff["actual_line"])
        for line in diff["lines"]:
            line["text"] = redact(line["text"])
    return {
        "source": verdict.outcome.source, "label": verdict.outcome.label, "note": verdict.outcome.note,
        "matched": verdict.matched, "expected": redact(verdict.expected_text), "diff": diff,
        "mismatches": [{"kind": m.kind, "field": m.field, "expected": redact(m.expected),
                        "actual": redact(m.actual), "detail": redact(m.detail)} for m in verdict.mismatches],
    }


def _effect_text(effect: Effect) -> str:
    where = " and ".join(f"{column}={template.source}" for column, template in effect.where)
    held = ", ".join(f"{column}={'NULL' if template is None else template.source!r}"
                     for column, template in effect.values)
    count = f"{effect.rows} rows" if effect.rows is not None else ""
    return f"{effect.table} where {where}: " + "; ".join(part for part in (count, held) if part)


def _chosen_index(result: CaseResult) -> int:
    """Which verdict the contract judged by: 0 the reference, n the n-th documented text."""
    chosen = result.chosen
    if chosen is None or chosen is result.reference or not result.case.drifts:
        return 0
    return 1 + result.documented.index(chosen)


def _password_note(result: CaseResult) -> str:
    """Whose password the curl line's variable stands for."""
    sent = dict(result.case.request).get("pass")
    if sent is None:
        return ""
    if "{" in sent.source:
        return f"set {PASSWORD_VARIABLE} to the password of the case's API user ({result.case.api_role})"
    return f"this case sends a password of its own on purpose (in its spec); put that in {PASSWORD_VARIABLE}"


def ordered(records: list[dict]) -> list[dict]:
    """Failures first, then skips, then passes; by id within each."""
    return sorted(records, key=lambda record: (STATUS_ORDER.get(record["status"], 3), record["id"]))

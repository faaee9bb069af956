"""The text shown for a failed case: where it is specified, what was sent, how it differs."""

from __future__ import annotations

from .effects import check_of
from .execution import CaseResult, Verdict
from .matcher import shown

MAX_DIFF_LINES = 30


def describe_failure(result: CaseResult, rerun: tuple[str, ...] = ()) -> str:
    """A multi-line, password-free account of one failed case, ending with the commands that rerun it."""
    redact = result.redact
    case, exchange = result.case, result.exchange
    lines = [f"{case.id}  ({case.path}:{case.line})", f"why: {case.why}"]
    if exchange is not None:
        lines += [f"request: {exchange.request.method} {redact(exchange.url)}",
                  f"reproduce: {exchange.curl(redact)}"]
        if exchange.error:
            lines.append(f"answer: none ({exchange.error}) after {exchange.elapsed * 1000:.1f} ms")
        else:
            lines.append(f"answer: HTTP {exchange.status}, {exchange.size} bytes in {exchange.elapsed * 1000:.1f} ms")
    chosen = result.chosen
    if chosen is not None:
        lines.append(f"contract: {result.contract} ({chosen.outcome.source}, {chosen.outcome.label})")
        lines += ["  " + redact(line) for line in _verdict_lines(chosen, result)]
    lines += [redact(line) for line in other_texts(result)]
    lines += [f"rerun: {command}" for command in rerun]
    return "\n".join(lines)


def _verdict_lines(verdict: Verdict, result: CaseResult) -> list[str]:
    lines = []
    for mismatch in verdict.mismatches:
        lines.append(f"{mismatch.kind} in {mismatch.field}" + (f": {mismatch.detail}" if mismatch.detail else ""))
        lines.append(f"    expected: {mismatch.expected}")
        lines.append(f"    actual:   {mismatch.actual}")
    diff = verdict.diff
    if diff is not None and "\n" in verdict.expected_text.rstrip("\n"):  # an export: the differing lines only
        lines.append(f"first difference at line {diff.first_line}, column {diff.first_column}:")
        first = diff.lines[:MAX_DIFF_LINES]
        lines += [f"    {op} {shown(text, redact=result.redact)}" for op, _number, text in first]
        if len(diff.lines) > len(first):
            lines.append(f"    ({len(diff.lines) - len(first)} more diff lines in report.html)")
    elif result.exchange is not None and not result.exchange.error:
        lines.append(f"    whole expected: {shown(verdict.expected_text, redact=result.redact)}")
        lines.append(f"    whole actual:   {shown(result.exchange.text, redact=result.redact)}")
    return lines


def other_texts(result: CaseResult) -> list[str]:
    """Which of the reference and documented texts the answer's body matched (where they differ), and
    what differs beyond the body (headers, effects: the same whichever text)."""
    if not result.case.drifts or result.exchange is None:
        return []
    verdicts = [v for v in (result.reference, *result.documented) if v is not None]
    parts = [f"{v.outcome.source}: body {'matched' if body_matched(v) else 'differs'}" for v in verdicts]
    beyond = [f"{m.kind} in {m.field}" for m in verdicts[0].mismatches if check_of(m.kind) != "body"]
    return ["texts: " + "; ".join(parts) + (f"; in every text: {', '.join(beyond)}" if beyond else "")]


def body_matched(verdict: Verdict) -> bool:
    """The answer's status and text match this verdict's (headers and effects apart)."""
    return not any(check_of(mismatch.kind) == "body" for mismatch in verdict.mismatches)

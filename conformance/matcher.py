"""Compare what a target answered with what the contract expects.

``difference(expected, exchange, context, redact)`` returns every Mismatch (empty when the
answer conforms). Each Mismatch names what went wrong, the field, the expected and actual
values, and where in the body they part. The answer is judged as it came; every excerpt of it
a Mismatch shows is cut by the redactor from the whole text, so no cut leaves part of a secret.
"""

from __future__ import annotations


import re
from dataclasses import dataclass, field
from typing import Mapping

from .client import Exchange
from .redaction import Redactor
from .template import Template

# What PHP prints when it fails with display_errors on, as plain text or with html_errors
# (``<b>Warning</b>:``); none of it belongs in an API answer.
PHP_ERROR = re.compile(r"(?:<b>)?(?:Fatal error|Parse error|Warning|Notice|Deprecated)(?:</b>)?:\s"
                       r"|Stack trace:|Uncaught [A-Z]\w*(?:Error|Exception)")
_PHP_ERROR_WORDS = ("Fatal error", "Parse error", "Warning", "Notice", "Deprecated", "Stack trace:", "Uncaught ")


@dataclass(frozen=True)
class Expected:
    """The contract for one answer: status, and either exact body text or only sanity."""

    status: int = 200
    body: Template | None = None
    sane_only: bool = False
    patterns: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # names of the '|' separated fields, for precise messages
    source: str = "reference"
    headers: tuple[tuple[str, str], ...] = ()   # this answer's own headers (a report's Content-Type), beside the common


def with_headers(common: tuple[tuple[str, str], ...], own: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``common`` headers with ``own`` on top: one of the same name (in any letter case) replaces it, as
    PHP's header() replaces an earlier one."""
    names = {name.lower() for name, _ in own}
    return tuple((name, value) for name, value in common if name.lower() not in names) + tuple(own)


@dataclass(frozen=True)
class Mismatch:
    """One way the answer differs; subclasses name what went wrong."""

    field: str
    expected: str
    actual: str
    detail: str = ""

    @property
    def kind(self) -> str:
        return type(self).__name__

    def describe(self) -> str:
        text = f"{self.kind} in {self.field}: expected {self.expected!s}, got {self.actual!s}"
        return f"{text} ({self.detail})" if self.detail else text


class TransportFailure(Mismatch):
    """No complete HTTP response: refused, reset, timed out or truncated."""


class WrongStatus(Mismatch):
    """The HTTP status code differs."""


class ServerError(Mismatch):
    """An HTTP 5xx where the contract only asks for a sane answer."""


class PhpErrorText(Mismatch):
    """The body carries PHP error output."""


class EmptyBody(Mismatch):
    """The body is empty where an answer was due."""


class UnexpectedBody(Mismatch):
    """The body text differs from the contract."""


class MissingTrailingNewline(UnexpectedBody):
    """The body lacks the final newline the contract has."""


class ExtraTrailingNewline(UnexpectedBody):
    """The body has a final newline the contract lacks."""


class WrongField(UnexpectedBody):
    """One '|' separated field differs."""


def visible(text: str) -> str:
    """Whitespace and control characters made visible: · space, → tab, ↵ newline, ␍ CR."""
    out = []
    for char in text:
        if char == " ":
            out.append("·")
        elif char == "\t":
            out.append("→")
        elif char == "\n":
            out.append("↵")
        elif char == "\r":
            out.append("␍")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "".join(out)


SHOWN_CHARACTERS = 2000  # of a whole body in a failure line; reports keep more, the answer is capped anyway


_NO_SECRETS = Redactor()


def shown(text: str, limit: int = SHOWN_CHARACTERS, redact: Redactor = _NO_SECRETS) -> str:
    """``text`` masked and made visible, cut after ``limit`` characters with what was left out counted."""
    if len(text) <= limit:
        return visible(redact(text))
    return f"{visible(redact.excerpt(text, 0, limit))}… ({len(text) - limit} more characters)"


def difference(expected: Expected, exchange: Exchange, context: Mapping[str, str],
               redact: Redactor = _NO_SECRETS) -> list[Mismatch]:
    """Every way ``exchange`` departs from ``expected``; empty when it conforms."""
    if exchange.error:
        return [TransportFailure("connection", "a complete HTTP response", redact(exchange.error))]
    if expected.sane_only:
        return _insanity(exchange, redact)
    found: list[Mismatch] = []
    if exchange.status != expected.status:
        found.append(WrongStatus("status", str(expected.status), str(exchange.status)))
    if expected.body is not None:
        body = _body_difference(expected, exchange.text, context, redact)
        found.extend(_php_error(exchange.text, redact) if body else [])  # name the likely cause first
        found.extend(body)
    return found


def _php_error(text: str, redact: Redactor) -> list[Mismatch]:
    """The first line with PHP error output, found by one search of the whole text (a search per
    line takes a second on an answer of 8 MiB of lines; so does the search itself, when no word of
    PHP's error output is there at all)."""
    if not any(word in text for word in _PHP_ERROR_WORDS):
        return []
    for candidate in PHP_ERROR.finditer(text):
        start = max(text.rfind(end, 0, candidate.start()) for end in "\n\r") + 1
        ends = [at for at in (text.find(end, candidate.start()) for end in "\n\r") if at >= 0]
        line = text[start:min(ends, default=len(text))]
        if PHP_ERROR.search(line):   # the match stays within its line
            return [PhpErrorText("body", "no PHP error output", visible(redact.excerpt(line, 0, 200)))]
    return []


def _insanity(exchange: Exchange, redact: Redactor) -> list[Mismatch]:
    found: list[Mismatch] = []
    if exchange.status is not None and exchange.status >= 500:
        found.append(ServerError("status", "below 500", str(exchange.status)))
    if not exchange.body:
        found.append(EmptyBody("body", "an answer", "0 bytes",
                               "PHP answers with nothing after a fatal error when display_errors is off"))
    found.extend(_php_error(exchange.text, redact))
    return found


def _body_difference(expected: Expected, actual: str, context: Mapping[str, str],
                     redact: Redactor) -> list[Mismatch]:
    template = expected.body
    assert template is not None
    regex = template.regex(context, expected.patterns)
    if regex.fullmatch(actual):
        return []
    if regex.fullmatch(actual + "\n"):
        return [MissingTrailingNewline("body end", "↵", "end of body", "the body stops where a newline is due")]
    if actual.endswith("\n") and regex.fullmatch(actual[:-1]):
        return [ExtraTrailingNewline("body end", "end of body", "↵", "one newline more than the contract")]
    rendered = template.render(context, expected.patterns)
    fielded = _field_difference(expected, actual, context, redact)
    if fielded:
        return fielded
    return [UnexpectedBody("body", shown(rendered, redact=redact), shown(actual, redact=redact),
                           _first_divergence(rendered, actual, redact))]


def _field_difference(expected: Expected, actual: str, context: Mapping[str, str],
                      redact: Redactor) -> list[Mismatch]:
    """Per-field mismatches when the answer has the expected lines and fields, just other values.

    Works on one-line answers ('|' fields) and on exports (one line per agent, with
    '|', ',' or tab): each differing field is named by line, the line's first field and
    the column name (from the spec's ``fields`` or the expected header line).
    """
    template_lines = (expected.body.source if expected.body else "").split("\n")
    actual_lines = actual.split("\n")
    if len(template_lines) != len(actual_lines):
        return []
    separator = _separator(template_lines[0])
    if separator is None:
        return []
    names = list(expected.fields)
    first_shown = Template.parse(template_lines[0]).render(context, expected.patterns)
    if not names and len(template_lines) > 2 and re.fullmatch(r"[a-z_]+(?:%s[a-z_]+)+" % re.escape(separator),
                                                               first_shown):
        names = first_shown.split(separator)
    found: list[Mismatch] = []
    for number, (want_line, got_line) in enumerate(zip(template_lines, actual_lines), 1):
        line_template = Template.parse(want_line)
        if line_template.regex(context, expected.patterns).fullmatch(got_line):
            continue
        want_fields, got_fields = want_line.split(separator), got_line.split(separator)
        if len(want_fields) != len(got_fields):
            return []
        label = f"line {number}" if len(template_lines) > 2 else ""
        first_value = Template.parse(want_fields[0]).render(context, expected.patterns)
        if label and number > 1:
            label += f" ({first_value})"
        rendered_line = line_template.render(context, expected.patterns)
        want_start = got_start = 0
        for index, (want, got) in enumerate(zip(want_fields, got_fields)):
            field_template = Template.parse(want)
            want_shown = field_template.render(context, expected.patterns)
            if not field_template.regex(context, expected.patterns).fullmatch(got):
                name = names[index] if index < len(names) else ""
                where = f"field {index + 1}" + (f" ({name})" if name else "")
                # each field cut from its whole line, masked there: a secret holding the separator is masked whole
                want_cut = _field_shown(redact, rendered_line, want_start, want_start + len(want_shown)) \
                    if rendered_line.startswith(want_shown, want_start) else shown(want_shown, redact=redact)
                found.append(WrongField(f"{label} {where}".strip(), want_cut,
                                        _field_shown(redact, got_line, got_start, got_start + len(got))))
            want_start += len(want_shown) + len(separator)
            got_start += len(got) + len(separator)
    return found


def _field_shown(redact: Redactor, line: str, start: int, stop: int) -> str:
    """The field at [start, stop) of ``line``, masked in the whole line, made visible and cut after
    SHOWN_CHARACTERS (the rest counted)."""
    if stop - start <= SHOWN_CHARACTERS:
        return visible(redact.excerpt(line, start, stop))
    return f"{visible(redact.excerpt(line, start, start + SHOWN_CHARACTERS))}… ({stop - start - SHOWN_CHARACTERS} " \
           "more characters)"


def _separator(first_line: str) -> str | None:
    counts = {separator: first_line.count(separator) for separator in ("|", "\t", ",")}
    separator, count = max(counts.items(), key=lambda item: item[1])
    return separator if count else None


def _first_divergence(expected: str, actual: str, redact: Redactor) -> str:
    """Where two texts part: byte offset, line and column, and a little of each side (cut from the
    whole masked texts)."""
    limit = min(len(expected), len(actual))
    index = next((i for i in range(limit) if expected[i] != actual[i]), limit)
    line = expected.count("\n", 0, index) + 1
    column = index - (expected.rfind("\n", 0, index) + 1) + 1
    offset = len(expected[:index].encode("utf-8"))
    if index == len(actual) < len(expected):
        return f"body ends early at byte {offset} (line {line}, column {column})"
    if index == len(expected) < len(actual):
        return (f"{len(actual) - index} unexpected characters after byte {offset}: "
                f"{visible(redact.excerpt(actual, index, index + 40))}")
    return (f"first difference at byte {offset} (line {line}, column {column}): "
            f"expected {visible(redact.excerpt(expected, index, index + 20))!r}, "
            f"got {visible(redact.excerpt(actual, index, index + 20))!r}")



"""A line-by-line diff of an expected body and an actual one (difflib), with where they first part.

Exports run to many lines, so a failure shows only the lines that differ with a little
context, and the first differing line and column; a diff keeps at most DIFF_CHARACTERS of
lines (each cut at DIFF_LINE_CHARACTERS, the rest counted), so an answer of 8 MiB of lines
costs a few KiB in memory and in every report. Expected lines that hold pattern
placeholders count as equal when their pattern matches an actual line nearby (see
``_expected_lines``), so a line left out or moved shows as that line alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from .template import Template

CONTEXT_LINES = 2
LOOKAHEAD = 20   # lines a pattern line is looked for past where the last one was found
DIFF_LINE_CHARACTERS = 512   # of one line of a diff (and of the first differing lines)
DIFF_CHARACTERS = 4096       # of all the lines of one diff; the lines past it are counted

Excerpt = Callable[[str, int, int], str]   # (text, start, stop) -> the cut: a redactor's, so no cut splits a secret


def _sliced(text: str, start: int, stop: int) -> str:
    return text[start:stop]


@dataclass(frozen=True)
class LineDiff:
    """Where an answer first departs from the expected text, and the differing lines."""

    first_line: int          # 1-based, in the actual body
    first_column: int        # 1-based; one past the shorter line when one line is a prefix of the other
    expected_line: str       # the expected line there ("" when the answer has lines the contract lacks)
    actual_line: str         # the actual line there ("" when the answer stops early)
    lines: tuple[tuple[str, int | None, str], ...]  # (" ", "-", "+" or "…", actual line number, text)

    def as_record(self) -> dict:
        return {"first_line": self.first_line, "first_column": self.first_column,
                "expected_line": self.expected_line, "actual_line": self.actual_line,
                "lines": [{"op": op, "line": number, "text": text} for op, number, text in self.lines]}


def line_diff(template: Template, context: Mapping[str, str], patterns: Mapping[str, str],
              actual: str, excerpt: Excerpt = _sliced) -> LineDiff | None:
    """The diff of ``actual`` against the rendered ``template``; None when every line matches.
    Long lines and long diffs are cut with ``excerpt`` (pass the run's redactor's)."""
    actual_lines = actual.split("\n")
    expected_lines = _expected_lines(template, context, patterns, actual_lines)
    opcodes = difflib.SequenceMatcher(None, expected_lines, actual_lines, autojunk=False).get_opcodes()
    first = next((op for op in opcodes if op[0] != "equal"), None)
    if first is None:
        return None
    _tag, i1, i2, j1, j2 = first
    expected_line = expected_lines[i1] if i1 < i2 else ""
    actual_line = actual_lines[j1] if j1 < j2 else ""
    return LineDiff(first_line=j1 + 1, first_column=_first_column(expected_line, actual_line),
                    expected_line=_cut(expected_line, excerpt), actual_line=_cut(actual_line, excerpt),
                    lines=tuple(_bounded(_hunks(opcodes, expected_lines, actual_lines), excerpt)))


def _cut(text: str, excerpt: Excerpt) -> str:
    """``text`` cut at DIFF_LINE_CHARACTERS, the characters left out counted."""
    if len(text) <= DIFF_LINE_CHARACTERS:
        return excerpt(text, 0, len(text))
    return f"{excerpt(text, 0, DIFF_LINE_CHARACTERS)}… ({len(text) - DIFF_LINE_CHARACTERS} more characters)"


def _bounded(lines: Iterable[tuple[str, int | None, str]], excerpt: Excerpt):
    """The diff's lines, each cut, until they hold DIFF_CHARACTERS; then one '…' line counting the rest."""
    kept = 0
    left_out = 0
    for op, number, text in lines:
        if kept >= DIFF_CHARACTERS:
            left_out += 1
            continue
        text = text if op == "…" else _cut(text, excerpt)
        kept += len(text)
        yield op, number, text
    if left_out:
        yield "…", None, f"{left_out} more diff line{'s' if left_out != 1 else ''} left out"


def _expected_lines(template: Template, context: Mapping[str, str], patterns: Mapping[str, str],
                    actual_lines: list[str]) -> list[str]:
    """The expected lines, each pattern line that matches read as the actual text it matches.

    A pattern line is looked for from just after the last one found, up to LOOKAHEAD lines on,
    so a dropped or moved line does not make every later pattern line read as different; a
    pattern that spans lines (one line of the template, several of the answer) takes as many.
    Literal lines stay as they are: difflib aligns them itself.
    """
    expected: list[str] = []
    start = 0   # the first actual line no pattern line has taken yet
    for source in template.source.split("\n"):
        line = Template.parse(source)
        rendered = line.render(context, patterns)
        if all(kind == "text" or name in context for kind, name in line.parts):
            expected.append(rendered)
            continue
        regex = line.regex(context, patterns)
        taken = _match(regex, actual_lines, start)
        if taken is None:
            expected.append(rendered)
        else:
            first, end = taken
            expected.extend(actual_lines[first:end])
            start = end
    return expected


def _match(regex, actual_lines: list[str], start: int) -> tuple[int, int] | None:
    """(first, end) of the actual lines ``regex`` matches, one line from ``start`` on, else
    several lines from ``start``; None when neither within LOOKAHEAD."""
    stop = min(len(actual_lines), start + LOOKAHEAD)
    for first in range(start, stop):
        if regex.fullmatch(actual_lines[first]):
            return first, first + 1
    for end in range(start + 2, stop + 1):
        if regex.fullmatch("\n".join(actual_lines[start:end])):
            return start, end
    return None


def _first_column(expected: str, actual: str) -> int:
    limit = min(len(expected), len(actual))
    return next((i for i in range(limit) if expected[i] != actual[i]), limit) + 1


def _hunks(opcodes, expected: list[str], actual: list[str]):
    """Changed lines with CONTEXT_LINES of equal lines around them; longer equal runs become '…'."""
    last = len(opcodes) - 1
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            keep_head = CONTEXT_LINES if position > 0 else 0
            keep_tail = CONTEXT_LINES if position < last else 0
            if i2 - i1 > keep_head + keep_tail:
                for offset in range(keep_head):
                    yield " ", j1 + offset + 1, actual[j1 + offset]
                hidden = i2 - i1 - keep_head - keep_tail
                yield "…", None, f"{hidden} equal line{'s' if hidden != 1 else ''}"
                for offset in range(j2 - j1 - keep_tail, j2 - j1):
                    yield " ", j1 + offset + 1, actual[j1 + offset]
            else:
                for offset in range(j2 - j1):
                    yield " ", j1 + offset + 1, actual[j1 + offset]
            continue
        for index in range(i1, i2):
            yield "-", None, expected[index]
        for index in range(j1, j2):
            yield "+", index + 1, actual[index]

"""A line-by-line diff of an expected body and an actual one (difflib), with where they first part.

Exports run to many lines, so a failure shows only the lines that differ with a little
context, and the first differing line and column. Expected lines that hold pattern
placeholders count as equal when their pattern matches the actual line at the same place.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Mapping

from .template import Template

CONTEXT_LINES = 2


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
              actual: str) -> LineDiff | None:
    """The diff of ``actual`` against the rendered ``template``; None when every line matches."""
    actual_lines = actual.split("\n")
    expected_lines = []
    for index, source in enumerate(template.source.split("\n")):
        line = Template.parse(source)
        same_place = actual_lines[index] if index < len(actual_lines) else None
        if same_place is not None and line.regex(context, patterns).fullmatch(same_place):
            expected_lines.append(same_place)   # a pattern line that matched reads as equal
        else:
            expected_lines.append(line.render(context, patterns))
    opcodes = difflib.SequenceMatcher(None, expected_lines, actual_lines, autojunk=False).get_opcodes()
    first = next((op for op in opcodes if op[0] != "equal"), None)
    if first is None:
        return None
    _tag, i1, i2, j1, j2 = first
    expected_line = expected_lines[i1] if i1 < i2 else ""
    actual_line = actual_lines[j1] if j1 < j2 else ""
    return LineDiff(first_line=j1 + 1, first_column=_first_column(expected_line, actual_line),
                    expected_line=expected_line, actual_line=actual_line,
                    lines=tuple(_hunks(opcodes, expected_lines, actual_lines)))


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

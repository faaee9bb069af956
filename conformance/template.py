"""Response templates: exact text with named placeholders such as ``{agent_user}``.

A placeholder is filled from the case's context (request parameters, world facts) and
compared literally, unless the spec gives it a pattern (for values only the target
knows, such as a recording id), in which case that span is matched by the pattern.
``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.]*)\}|[{}]")


@dataclass(frozen=True)
class Template:
    """A parsed template: alternating literal text and placeholder names."""

    source: str
    parts: tuple[tuple[str, str], ...]  # ("text", literal) or ("name", placeholder)

    @classmethod
    def parse(cls, source: str) -> "Template":
        parts: list[tuple[str, str]] = []
        pos = 0
        for token in _TOKEN.finditer(source):
            if token.start() > pos:
                parts.append(("text", source[pos:token.start()]))
            if token.group(1):
                parts.append(("name", token.group(1)))
            elif token.group(0) in ("{{", "}}"):
                parts.append(("text", token.group(0)[0]))
            else:
                raise ValueError(
                    f"lone {token.group(0)!r} at character {token.start() + 1}: "
                    "write {{ or }} for a literal brace, or {name} for a placeholder"
                )
            pos = token.end()
        if pos < len(source):
            parts.append(("text", source[pos:]))
        return cls(source, tuple(parts))

    @property
    def names(self) -> set[str]:
        return {value for kind, value in self.parts if kind == "name"}

    def render(self, context: Mapping[str, str], patterns: Mapping[str, str] = {}) -> str:
        """Fill every placeholder; pattern placeholders show as ``{name}``."""
        out = []
        for kind, value in self.parts:
            if kind == "text":
                out.append(value)
            elif value in patterns and value not in context:
                out.append("{" + value + "}")
            else:
                out.append(str(context[value]))
        return "".join(out)

    def regex(self, context: Mapping[str, str], patterns: Mapping[str, str]) -> re.Pattern[str]:
        """A full-match regex: literals escaped, known values literal, the rest by pattern."""
        out = []
        for kind, value in self.parts:
            if kind == "text":
                out.append(re.escape(value))
            elif value in context:
                out.append(re.escape(str(context[value])))
            else:
                out.append(f"(?:{patterns[value]})")
        return re.compile("".join(out), re.DOTALL)

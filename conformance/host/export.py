"""The csv/tab/pipe export that about twenty Non-Agent functions print.

Upstream (www/vicidial/non_agent_api.php) picks the delimiter from ``stage``: ``csv`` a comma,
``tab`` a tab, ``pipe`` or anything else a pipe; ``header=YES`` (exactly) puts the column
names first; every line, the last included, ends in a newline. Values are printed as they
are, unquoted: a delimiter inside a value is not escaped.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

DELIMITERS = {"csv": ",", "tab": "\t", "pipe": "|"}


def delimiter(stage: str) -> str:
    """The delimiter ``stage`` asks for (a pipe for any other value, as upstream's fallback)."""
    return DELIMITERS.get(stage, "|")


def export(stage: str, header: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole export: the header line when ``header`` is YES, then one line per row."""
    separator = delimiter(stage)
    lines = [separator.join(columns)] if header == "YES" else []
    lines += [separator.join(_text(value) for value in row) for row in rows]
    return "".join(line + "\n" for line in lines)


def _text(value: Any) -> str:
    """A value as PHP's string interpolation prints it (NULL is empty)."""
    return "" if value is None else str(value)

"""What an answer cannot show: the rows a call left in the database, and the answer's headers.

A host that answers ``SUCCESS`` and stores nothing is not conformant. Where vicicert owns the
state (the embedded host, the SQL fixture mode) it reads the rows a case's ``effects:`` name
after the call; in declared mode there is no database to read, so the case says so.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from .client import Exchange
from .matcher import Mismatch
from .spec import Case
from .template import Template

# table, the columns wanted, the equality filter -> the matching rows
RowReader = Callable[[str, list[str], dict[str, str]], list[dict[str, Any]]]
NOT_READ = "effects not checked: declared mode reads no database of the host (the SQL fixture mode does)"


class WrongEffect(Mismatch):
    """A row the call should have changed holds another value."""


class WrongRowCount(Mismatch):
    """The call left more or fewer rows than it should."""


class WrongHeader(Mismatch):
    """A header every answer of the function carries is missing or different."""


def effect_mismatches(case: Case, read: RowReader, context: dict[str, str]) -> list[Mismatch]:
    """How the rows ``case.effects`` name differ from what the reference leaves."""
    found: list[Mismatch] = []
    patterns = case.reference.expected.patterns   # the spec's patterns: values only the target knows (an epoch)
    for effect in case.effects:
        where = {column: template.render(context) for column, template in effect.where}
        templates = dict(effect.values)
        wanted = {column: None if template is None else template.render(context, patterns)
                  for column, template in templates.items()}
        rows = read(effect.table, list(wanted), where)
        selected = f"{effect.table} where " + " and ".join(f"{column}={value!r}" for column, value in where.items())
        if effect.rows is not None and len(rows) != effect.rows:
            found.append(WrongRowCount(f"rows of {selected}", str(effect.rows), str(len(rows))))
            continue
        if not rows and wanted:
            found.append(WrongRowCount(f"rows of {selected}", "at least 1", "0"))
            continue
        for row in rows:
            for column, value in wanted.items():
                stored = None if row[column] is None else _text(row[column])
                if not _held(templates[column], value, stored, context, patterns):
                    found.append(WrongEffect(f"{effect.table}.{column} ({selected})", _shown(value), _shown(stored),
                                             "the call must leave this value"))
    return found


def header_mismatches(case: Case, exchange: Exchange) -> list[Mismatch]:
    """Headers the spec names that the answer lacks or carries with another value (names compare
    without case, as HTTP's do)."""
    if exchange.error or not case.headers:
        return []
    sent = {}
    for name, value in exchange.headers:
        sent.setdefault(name.lower(), value)
    return [WrongHeader(f"header {name}", _shown(value), _shown(sent.get(name.lower())))
            for name, value in case.headers if sent.get(name.lower()) != value]


def _held(template: Template | None, value: str | None, stored: str | None, context: dict[str, str],
          patterns: Mapping[str, str]) -> bool:
    """The stored value is the expected one; a placeholder the spec gives a pattern (and the
    case no value) matches by that pattern."""
    if template is None or stored is None or not any(name in patterns and name not in context
                                                     for name in template.names):
        return stored == value
    return template.regex(context, patterns).fullmatch(stored) is not None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: str | None) -> str:
    return "NULL (no value)" if value is None else repr(value)

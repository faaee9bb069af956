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
from .tables.schema import fit
from .template import Template

# table, the columns wanted, the equality filter -> the matching rows
RowReader = Callable[[str, list[str], dict[str, str]], list[dict[str, Any]]]
NOT_READ = "effects not checked: declared mode reads no database of the host (the SQL fixture mode does)"


# What a case's answer is judged on: ``body`` (status and text), ``headers``, ``effects`` (rows left).
CHECKS = ("body", "headers", "effects")


def check_of(kind: str) -> str:
    """Which check a mismatch kind belongs to."""
    return {"WrongHeader": "headers", "WrongEffect": "effects", "WrongRowCount": "effects"}.get(kind, "body")


def checks_chosen(only: str | None, excluded: str | None) -> frozenset[str]:
    """The checks a run applies from ``--checks`` and ``--exclude-checks`` (comma-separated names);
    ValueError names an unknown one or a choice that leaves none."""
    def names(text: str | None) -> list[str]:
        found = [name.strip() for name in (text or "").split(",") if name.strip()]
        unknown = [name for name in found if name not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check {', '.join(unknown)}: choose from {', '.join(CHECKS)}")
        return found
    chosen = frozenset(names(only) or CHECKS) - frozenset(names(excluded))
    if not chosen:
        raise ValueError(f"no check left to apply: keep at least one of {', '.join(CHECKS)}")
    return chosen


class WrongEffect(Mismatch):
    """A row the call should have changed holds another value."""


class WrongRowCount(Mismatch):
    """The call left more or fewer rows than it should."""


class WrongHeader(Mismatch):
    """A header the answer must carry (every answer of the function, or this answer its own) is missing or
    different."""


def effect_mismatches(case: Case, read: RowReader, context: dict[str, str]) -> list[Mismatch]:
    """How the rows ``case.effects`` name differ from what the reference leaves."""
    found: list[Mismatch] = []
    for effect in case.effects:
        patterns = dict(effect.patterns)
        where = {column: template.render(context) for column, template in effect.where}
        templates = dict(effect.values)
        wanted = {column: _wanted(effect.table, column, template, context, patterns)
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
                if not _holds(stored, value, templates[column], context, patterns):
                    found.append(WrongEffect(f"{effect.table}.{column} ({selected})", _shown(value), _shown(stored),
                                             "the call must leave this value"))
    return found


def _wanted(table: str, column: str, template: Template | None, context: dict[str, str],
            patterns: dict[str, str]) -> str | None:
    """The value the column must hold: the template filled in and cut to the column's width, as
    MySQL's non-strict mode (upstream's) stores it; where a pattern stands in, it shows as {name}."""
    if template is None:
        return None
    if _patterned(template, context, patterns):
        return template.render(context, patterns)
    return fit(table, column, template.render(context))


def _holds(stored: str | None, wanted: str | None, template: Template | None, context: dict[str, str],
           patterns: dict[str, str]) -> bool:
    if template is not None and stored is not None and _patterned(template, context, patterns):
        return template.regex(context, patterns).fullmatch(stored) is not None
    return stored == wanted


def _patterned(template: Template, context: dict[str, str], patterns: dict[str, str]) -> bool:
    return any(name in patterns and name not in context for name in template.names)


def header_mismatches(case: Case, exchange: Exchange) -> list[Mismatch]:
    """Headers the spec names (every answer's, and the reference answer's own) that the answer lacks
    or carries with another value (names compare without case, as HTTP's do)."""
    expected = case.answer_headers
    if exchange.error or not expected:
        return []
    sent = {}
    for name, value in exchange.headers:
        sent.setdefault(name.lower(), value)
    patterns = case.reference.expected.patterns
    return [WrongHeader(f"header {name}", _shown(value),
                        "missing" if name.lower() not in sent else _shown(sent[name.lower()]))
            for name, value in expected if not _header_holds(sent.get(name.lower()), value, patterns)]


def _header_holds(sent: str | None, wanted: str, patterns: Mapping[str, str]) -> bool:
    """The header as sent is the one wanted; a value with the spec's pattern placeholders (a file name's
    time stamp) is matched as their regexes say, the rest of it exactly."""
    if sent is None or "{" not in wanted:
        return sent == wanted
    return Template.parse(wanted).regex({}, patterns).fullmatch(sent) is not None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: str | None) -> str:
    return "NULL (no value)" if value is None else repr(value)

"""YAML loading that remembers where every mapping, key and list item stood, and refuses
anything a hand-written vicicert file never needs.

Spec, world and SLO errors must name the line to fix, so every mapping loads as a
``LinedDict`` and every sequence as a ``LinedList``; ``line_at`` walks a key path
(as jsonschema reports it) back to the nearest line.

Before anything is built the file is checked, each refusal a ``SourceFileError`` with its
line and fix: its size (a cap per format), its encoding (UTF-8, no byte-order mark, no
control characters), then one pass over the parse events (libyaml's when present, so
this is fast) refuses anchors and aliases (an alias bomb expands to billions of nodes),
explicit tags, nesting deeper than ``MAX_DEPTH``, mapping keys that are lists or mappings,
and scalars longer than ``MAX_SCALAR``. Only then is the document built, refusing
duplicate keys and keys that are not text (``yes:`` reads as a boolean).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from yaml.events import (AliasEvent, CollectionStartEvent, MappingEndEvent, MappingStartEvent, NodeEvent,
                         ScalarEvent, SequenceEndEvent)

from .errors import SourceFileError

KIB = 1024
MAX_DEPTH = 64           # spec files nest about 8 levels deep
MAX_SCALAR = 64 * KIB    # the longest text in the bundled specs is about 1.5 KiB

_BASE = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
# Control characters (tab, LF and CR apart), and the line breaks editors do not count as lines.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "UTF-8"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


class LinedDict(dict):
    """A dict that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Refused(Exception):
    """Something the file must not contain, at a line (turned into the caller's error type)."""

    def __init__(self, line: int | None, message: str, fix: str):
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


class _Loader(_BASE):
    """SafeLoader (libyaml's when installed) whose containers carry line numbers, which refuses
    duplicate keys and keys that are not text."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise _Refused(line, f"the key {key_node.value!r} reads as {describe(key)}, not as a name",
                           f"quote it ('{key_node.value}') if it is meant as a name")
        if key in result:
            raise _Refused(line, f"key {key!r} appears twice (first on line {result.key_lines[key]})",
                           "keep one of the two entries")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def describe(value: Any) -> str:
    """What a loaded YAML value is, in a file author's words."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "a boolean (YAML reads yes, no, on, off, true and false so)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


class ContentMemo:
    """What was made from a file, kept for this process by the file's path and bytes: a file
    rewritten, even within one clock tick, is a new key, so a result is never stale. At most
    ``limit`` results are kept (the oldest goes first); a file over ``max_bytes``, or one that
    cannot be read, is not kept (its loader names the problem)."""

    def __init__(self, limit: int, max_bytes: int):
        self.limit, self.max_bytes = limit, max_bytes
        self._kept: dict[tuple[str, bytes], Any] = {}

    def get(self, path: Path, make: Callable[[], Any]) -> Any:
        """The result kept for ``path``'s bytes, or ``make()``'s, then kept."""
        try:
            key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).digest()) \
                if path.stat().st_size <= self.max_bytes else None
        except OSError:
            key = None
        if key is not None and key in self._kept:
            return self._kept[key]
        made = make()
        if key is not None:
            if len(self._kept) >= self.limit:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = made
        return made


def load_yaml(path: Path, error: type[SourceFileError] = SourceFileError, max_bytes: int = 256 * KIB,
              what: str = "this kind of file") -> Any:
    """Parse ``path`` (at most ``max_bytes``); any problem becomes ``error`` with the line and a fix."""
    path = Path(path)
    try:
        text = _read_text(path, max_bytes, what)
        _check_events(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except _Refused as refused:
        raise error(path, refused.line, refused.message, refused.fix) from None
    except yaml.MarkedYAMLError as exc:
        raise error(path, *_syntax(exc)) from None
    except yaml.YAMLError as exc:  # no line known (libyaml's reader); the text checks come first
        raise error(path, None, f"YAML: {exc}", "save the file as plain UTF-8 YAML") from None


def _syntax(exc: yaml.MarkedYAMLError) -> tuple[int | None, str, str]:
    """Line, message and fix for a YAML syntax error: an unclosed quote or bracket is named
    where it opens, anything else where the parser stopped."""
    opened = (exc.context or "").startswith(("while scanning a quoted", "while scanning a simple key",
                                              "while parsing a flow"))
    mark = exc.context_mark if opened and exc.context_mark else exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit, met while looking ahead
        return line, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure"
    if opened:
        return line, f"YAML syntax: {exc.problem} {exc.context}", \
            "close the quote or bracket opened on that line; check indentation and quoting there"
    return line, f"YAML syntax: {exc.problem or exc.context}", \
        "check indentation and quoting on that line (strings with ':' or '{' need quotes)"


def _read_text(path: Path, max_bytes: int, what: str) -> str:
    """The file's text, refused before parsing if too big, not UTF-8, or holding control characters."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise _Refused(None, "file not found", "check the path") from None
    except IsADirectoryError:
        raise _Refused(None, "is a folder, not a file", "give the path of a YAML file") from None
    except OSError as exc:
        raise _Refused(None, f"cannot read the file ({exc.strerror or exc})", "check the path and its permissions") \
            from None
    if len(data) > max_bytes:
        raise _Refused(None, f"the file is larger than {max_bytes // KIB} KiB, the most {what} may hold",
                       "check that this is the right file; split what is hand-written, generate the rest in code")
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            fix = "remove the byte-order mark (save as UTF-8 without BOM)" if encoding == "UTF-8" else \
                "save the file as UTF-8 without a byte-order mark"
            raise _Refused(1, f"the file starts with a {encoding} byte-order mark", fix)
    if b"\x00" in data[:4]:
        raise _Refused(1, "the file looks like UTF-16 or UTF-32 text (NUL bytes at the start)",
                       "save the file as UTF-8 without a byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(data[:exc.start].count(b"\n") + 1, f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                       "save the file as UTF-8") from None
    found = _FORBIDDEN.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        name = "a NUL byte" if found.group() == "\x00" else f"the control character U+{ord(found.group()):04X}"
        raise _Refused(line, f"{name} in column {column}",
                       "delete it (write a tab as \\t and other characters as \\uXXXX inside double quotes)")
    return text


def _check_events(text: str) -> None:
    """One pass over the parse events: no anchors, aliases or tags, bounded depth, plain keys,
    bounded scalars."""
    open_collections: list[list] = []    # [is a mapping, children seen] per open collection
    for event in yaml.parse(text, Loader=_BASE):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            raise _Refused(line, f"alias *{event.anchor}: anchors and aliases are not part of the format",
                           "write the value out in full")
        if isinstance(event, NodeEvent):
            if event.anchor is not None:
                raise _Refused(line, f"anchor &{event.anchor}: anchors and aliases are not part of the format",
                               "remove the anchor and write values out in full")
            if event.tag not in (None, "!"):
                raise _Refused(line, f"tag {event.tag}: tags are not part of the format",
                               "remove the tag; quote a value to make it text")
            if open_collections:
                parent = open_collections[-1]
                if parent[0] and parent[1] % 2 == 0 and isinstance(event, CollectionStartEvent):
                    raise _Refused(line, "a mapping key is a list or a mapping",
                                   "use a plain name as the key")
                parent[1] += 1
            if isinstance(event, ScalarEvent) and len(event.value) > MAX_SCALAR:
                raise _Refused(line, f"a value of {len(event.value):,} characters (at most {MAX_SCALAR:,})",
                               "shorten it; a value this long is not meant for this file")
        if isinstance(event, CollectionStartEvent):
            open_collections.append([isinstance(event, MappingStartEvent), 0])
            if len(open_collections) > MAX_DEPTH:
                raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure")
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            open_collections.pop()


def header(path: Path, limit: int = 64 * KIB) -> tuple[str | None, int]:
    """The first line that is neither blank nor a comment, and its number, read leniently (a
    byte-order mark or UTF-16 is tolerated here, so the loader can name the problem)."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit)
    except OSError:
        return None, 0
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped, number
    return None, 0


def line_at(document: Any, key_path: Iterable[Any]) -> int | None:
    """The line of the deepest key or item along ``key_path`` that still exists."""
    line = getattr(document, "line", None)
    node = document
    for key in key_path:
        if isinstance(node, LinedDict) and key in node:
            line = node.line_of(key)
        elif isinstance(node, LinedList) and isinstance(key, int) and key < len(node):
            line = node.line_of(key)
        else:
            break
        node = node[key]
    return line

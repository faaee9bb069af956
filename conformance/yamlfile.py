"""YAML loading that remembers where every mapping, key and list item stood.

Spec and world errors must name the line to fix, so every mapping loads as a
``LinedDict`` and every sequence as a ``LinedList``; ``line_at`` walks a key path
(as jsonschema reports it) back to the nearest line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import SourceFileError


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


class _Loader(yaml.SafeLoader):
    """SafeLoader whose containers carry line numbers and which refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1, result.key_lines[key])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line


def load_yaml(path: Path, error: type[SourceFileError] = SourceFileError) -> Any:
    """Parse ``path``; any YAML problem becomes ``error`` with the line and a fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(path, None, "file not found", "check the path") from None
    except UnicodeDecodeError as exc:
        raise error(path, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except _DuplicateKey as dup:
        raise error(
            path, dup.line, f"key {dup.key!r} appears twice (first on line {dup.first_line})",
            "keep one of the two entries",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise error(
            path, line, f"YAML syntax: {exc.problem or exc.context}",
            "check indentation and quoting on that line (strings with ':' or '{' need quotes)",
        ) from None


def line_at(document: Any, key_path: Iterable[Any]) -> int | None:
    """The line of the deepest node along ``key_path`` that still exists."""
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
        line = getattr(node, "line", None) or line
    return line

"""Check a loaded YAML document against a JSON Schema; report the first problem with its line and a fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from .errors import SourceFileError
from .yamlfile import describe, line_at


def check_document(document: Any, schema: dict, path: Path, error: type[SourceFileError]) -> None:
    """Raise ``error`` for the most relevant schema violation, if any."""
    if not isinstance(document, dict):
        found = "nothing" if document is None else "a list" if isinstance(document, list) else \
            f"the single value {str(document)[:40]!r}"
        version = schema.get("properties", {}).get("vicicert", {}).get("const")
        fix = f"start with the line 'vicicert: {version}' and add the keys below it" if version else \
            "write one 'key: value' per line"
        raise error(path, getattr(document, "line", None) or 1, f"the file holds {found}, not a mapping of keys", fix)
    validator = jsonschema.Draft202012Validator(schema)
    violation = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if violation is None:
        return
    key_path = list(violation.absolute_path)
    if "propertyNames" in violation.absolute_schema_path:  # a bad key: point at the key itself
        key_path.append(violation.instance)
    message, fix, key_path = _explain(violation, key_path)
    where = ".".join(str(part) for part in key_path) or "top level"
    raise error(path, line_at(document, key_path), f"{where}: {message}", fix)


def _explain(violation: jsonschema.ValidationError, key_path: list) -> tuple[str, str, list]:
    schema, instance = violation.schema, violation.instance
    kind = violation.validator
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        unexpected = [key for key in instance if key not in allowed]
        key = unexpected[0] if unexpected else None
        fix = f"remove {key!r} or use one of: {', '.join(allowed)}" if allowed else f"remove {key!r}"
        return f"unknown key {key!r}", fix, key_path + ([key] if key is not None else [])
    if kind == "required":
        missing = violation.message.split("'")[1] if "'" in violation.message else violation.message
        return f"missing key {missing!r}", f"add {missing!r} here", key_path
    if kind == "enum":
        return f"{instance!r} is not allowed", "use one of: " + ", ".join(map(str, violation.validator_value)), key_path
    if kind == "const":
        return f"{instance!r} is not allowed", f"write {violation.validator_value!r}", key_path
    if kind == "type":
        wanted = violation.validator_value
        wanted = " or ".join(_WANTED.get(kind, kind) for kind in (wanted if isinstance(wanted, list) else [wanted]))
        return f"{_shown(instance)} is {describe(instance)}", f"make it {wanted} (quote numbers meant as text)", key_path
    if kind == "pattern":
        return (f"{instance!r} is not a valid name",
                schema.get("description") or "use lowercase letters, digits and underscores, starting with a letter",
                key_path)
    description = schema.get("description") or _description_above(violation)
    return violation.message, description or "see the format in ARCHITECTURE.md", key_path


def _description_above(violation: jsonschema.ValidationError) -> str:
    parent = violation.parent
    while parent is not None:
        if parent.schema.get("description"):
            return parent.schema["description"]
        parent = parent.parent
    return ""


_WANTED = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
           "null": "empty", "object": "a mapping (key: value lines)", "array": "a list"}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

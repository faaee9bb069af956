"""What the commands' options accept: argument types that say what to give instead, and the
checks on paths and URLs that more than one command makes before anything runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError
from ..redaction import mask_url


def _number(text: str, convert, what: str, within, outside: str):
    """``convert(text)``, or an ArgumentTypeError saying it is not ``what``; a number that fails
    ``within`` is one saying ``outside`` (formatted with the number as ``value``, the text as ``text``)."""
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not within(value):
        raise argparse.ArgumentTypeError(outside.format(value=value, text=text))
    return value


def positive_int(text: str) -> int:
    return _number(text, lambda given: int(given.replace("_", "")), "a whole number (for example 1000)",
                   lambda value: value >= 1, "{value} is too small: give 1 or more")


def port(text: str) -> int:
    return _number(text, int, "a port number (for example 8080)", lambda value: 1 <= value <= 65535,
                   "{value} is not a port: give 1 to 65535")


def positive_float(text: str) -> float:
    return _number(text, float, "a number (for example 2.5)", lambda value: value > 0,
                   "{text} is too small: give a number above 0")


def non_negative_float(text: str) -> float:
    return _number(text, float, "a number of seconds (for example 30)", lambda value: value >= 0,
                   "{text} is negative: give 0 or more")


def percentage(text: str) -> float:
    return _number(text, lambda given: float(given.rstrip("%")), "a percentage (for example 20)",
                   lambda value: 0 <= value <= 100, "{text} is not a percentage: give a number from 0 to 100")


def counts(text: str) -> tuple[int, ...]:
    """Comma-separated counts, such as 10000,100000."""
    try:
        return tuple(positive_int(part) for part in text.split(","))
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}; give counts separated by commas, "
                                         "for example 10000,100000") from None


def rates(text: str) -> tuple[float, ...]:
    """Comma-separated rates, such as 50,100,200."""
    try:
        return tuple(positive_float(part) for part in text.split(","))
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}; give rates separated by commas, "
                                         "for example 50,100,200") from None


class GivenOnce(argparse.Action):
    """An option that takes one value: a second one is an error naming both, not a silent overwrite
    (argparse keeps the last). ``fix`` says what to do instead."""

    def __init__(self, *args, fix: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fix = fix

    def __call__(self, parser, namespace, value, option_string=None):
        if option_string in getattr(namespace, "_given_once", set()):
            parser.error(f"{option_string} given twice ({getattr(namespace, self.dest)}, {value}): it takes one; "
                         + self.fix)
        namespace._given_once = getattr(namespace, "_given_once", set()) | {option_string}
        setattr(namespace, self.dest, value)


def writable_folder(folder: Path, option: str) -> None:
    """Create ``folder`` if needed and prove a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".vicicert-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"{option} {folder}: cannot write there ({error.strerror or error}); "
                         "give a folder you can write to") from None


def check_target_url(target: str) -> None:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--target {mask_url(target)} is not an http(s) URL: give the host's base URL, "
                         "for example http://10.0.0.5")
    if parts.path.rstrip("/").endswith(".php"):
        raise UsageError(f"--target {mask_url(target)} names a script: give the host's base URL "
                         f"({parts.scheme}://{parts.netloc}); vicicert adds /agc/api.php and "
                         "/vicidial/non_agent_api.php itself")

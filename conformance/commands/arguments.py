"""What the commands' options accept: argument types that say what to give instead, and the
checks on paths and URLs that more than one command makes before anything runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError
from ..redaction import mask_url


def positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (for example 1000)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (for example 8080)") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: give 1 to 65535")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (for example 2.5)") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is too small: give a number above 0")
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (for example 30)") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} is negative: give 0 or more")
    return value


def percentage(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (for example 20)") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percentage: give a number from 0 to 100")
    return value


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

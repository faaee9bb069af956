"""Refused logins remembered across runs, so CI retries cannot lock an account.

Upstream locks a user after 10 failed logins in 15 minutes. A run stops after its first refused
login, but a CI job retried ten times with a wrong password would still lock the account; so a
refusal is remembered per host and user for 15 minutes, and a run in that window does not log in
at all unless told to (``--retry-refused-login``).

The file holds no password and no name: each entry is keyed by a SHA-256 of the host's URL and
the user, with when the refusal came and until when it holds. It lives in the user's state folder
(``$XDG_STATE_HOME/vicicert``, else ``~/.local/state/vicicert``); ``VICICERT_REFUSED_LOGINS``
names another file. A file that cannot be read counts as empty; one that cannot be written is
said in the refusal's message, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .errors import UsageError

HOLD_SECONDS = 15 * 60          # upstream's lockout window
FILE_VARIABLE = "VICICERT_REFUSED_LOGINS"
RETRY_OPTION = "--retry-refused-login"


def default_path() -> Path:
    """Where refusals are remembered: ``$VICICERT_REFUSED_LOGINS``, else the user's state folder."""
    if os.environ.get(FILE_VARIABLE):
        return Path(os.environ[FILE_VARIABLE])
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "vicicert" / "refused-logins.json"


def host_of(base_url: str) -> str:
    """The host as a refusal is kept for it: scheme, host name and port, and the path prefix,
    without any credentials in the URL."""
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}{parts.path.rstrip('/')}"


def _clock_text(moment: float) -> str:
    return time.strftime("%H:%M:%S UTC", time.gmtime(moment))


class RefusedLogins:
    """The refusals of the last 15 minutes, by host and user, in one small JSON file."""

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time, retry: bool = False):
        self.path = path if path is not None else default_path()
        self.clock = clock
        self.retry = retry     # log in even within a remembered refusal's window

    def hold(self, base_url: str, user: str) -> None:
        """A UsageError when a refusal of ``user`` on this host is younger than 15 minutes (unless
        ``retry``): no login is tried then."""
        entry = self._entries().get(_key(base_url, user))
        if self.retry or entry is None or entry["until"] <= self.clock():
            return
        until = _clock_text(entry["until"])
        raise UsageError(
            f"preflight: the login of user {user} on {host_of(base_url)} was refused at {_clock_text(entry['at'])}, "
            f"and upstream locks a user after 10 failed logins in 15 minutes, so vicicert does not try it again "
            f"before {until} (no login was tried): fix the password, then run again after {until}, or at once "
            f"with {RETRY_OPTION} (refused logins are remembered in {self.path}; {FILE_VARIABLE} names another file)")

    def remember(self, base_url: str, user: str) -> str:
        """Keep a refusal of ``user`` on this host; the sentence the refusal's message ends with."""
        now = self.clock()
        entries = {key: entry for key, entry in self._entries().items() if entry["until"] > now}
        entries[_key(base_url, user)] = {"at": now, "until": now + HOLD_SECONDS}
        try:
            self._write(entries)
        except OSError as error:
            return (f"vicicert could not remember this refusal in {self.path} ({error.strerror or error}), so "
                    f"it will not stop a retry: set {FILE_VARIABLE} to a file you can write")
        return (f"vicicert will not try user {user} on {host_of(base_url)} again before "
                f"{_clock_text(now + HOLD_SECONDS)} unless run with {RETRY_OPTION}")

    def forget(self, base_url: str, user: str) -> None:
        """The password works: no refusal of ``user`` on this host holds any more."""
        entries = self._entries()
        if entries.pop(_key(base_url, user), None) is not None:
            try:
                self._write(entries)
            except OSError:
                pass   # the entry runs out by itself within 15 minutes

    def _entries(self) -> dict[str, dict[str, float]]:
        try:
            found = json.loads(self.path.read_text(encoding="utf-8")).get("refused", {})
            return {key: {"at": float(entry["at"]), "until": float(entry["until"])} for key, entry in found.items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def _write(self, entries: dict[str, dict[str, float]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            partial.write_text(json.dumps({"vicicert": "refused-logins/1", "refused": entries}, indent=1),
                               encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:
            partial.unlink(missing_ok=True)
            raise


def _key(base_url: str, user: str) -> str:
    return hashlib.sha256(f"{host_of(base_url)}\n{user}".encode("utf-8")).hexdigest()

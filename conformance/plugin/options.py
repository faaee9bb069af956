"""The plugin's options: ``--vicidial-*`` flags, ``vicidial_*`` ini keys and ``VICIDIAL_*``
environment variables (flag wins, then environment, then ini), and the run settings made of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..check_options import BY_NAME, CHECK_OPTIONS
from ..effects import checks_chosen
from ..errors import VicicertError
from ..harness import Harness, Settings
from ..redaction import mask_url

TRUE = ("1", "true", "yes", "on")
# The options the rerun commands repeat (rerun.py): what selects the same cases on the same target again.
_RERUN_OPTIONS = ("target", "user", "pass", "world", "contract", "report-dir", "timeout", "db", "world-db", "journal",
                  "namespace", "max-skipped", "expectations", "checks", "exclude-checks", "sign-key")
_RERUN_SWITCHES = ("no-global-changes", "allow-failed-logins", "allow-writes", "allow-disturbing")


def add_options(parser: pytest.Parser) -> None:
    """Every option of the table (check_options.py): its flag and, unless a flag on purpose, its ini key."""
    group = parser.getgroup("vicicert", "VICIdial conformance (vicicert)")
    for entry in CHECK_OPTIONS:
        forms = f" [ini {entry.ini}, env {entry.env}]" if entry.settable else " [a flag on purpose: no ini key or env]"
        if entry.switch:
            group.addoption(entry.flag, action="store_true", dest=entry.dest, default=None, help=entry.help + forms)
        else:
            group.addoption(entry.flag, dest=entry.dest, default=None, metavar=entry.metavar, help=entry.help + forms)
        if entry.settable:
            parser.addini(entry.ini, entry.help, type="bool" if entry.switch else "string",
                          default=False if entry.switch else None)


def option(config: pytest.Config, name: str) -> str | None:
    """A valued option: the flag, else the environment variable, else the ini key, else its default."""
    entry = BY_NAME[name]
    value = config.getoption(entry.dest)
    if value is None and entry.settable:
        value = os.environ.get(entry.env)
        if value is None:
            value = config.getini(entry.ini)
    return value if value not in (None, "") else entry.default

def switch(config: pytest.Config, name: str) -> bool:
    """An on/off option: the flag, else the environment variable, else the ini key."""
    entry = BY_NAME[name]
    if config.getoption(entry.dest):
        return True
    if not entry.settable:
        return False
    value = os.environ.get(entry.env)
    if value is not None:
        return value.strip().lower() in TRUE
    return bool(config.getini(entry.ini))

def checks_from(config: pytest.Config) -> frozenset[str]:
    try:
        return checks_chosen(option(config, "checks"), option(config, "exclude-checks"))
    except ValueError as error:
        raise pytest.UsageError(f"--vicidial-checks/--vicidial-exclude-checks: {error}") from None

def settings_from(config: pytest.Config) -> Settings:
    world, report_dir, journal = option(config, "world"), option(config, "report-dir"), option(config, "journal")
    try:
        timeout = float(option(config, "timeout") or 10)
    except ValueError:
        raise pytest.UsageError("--vicidial-timeout takes a number of seconds") from None
    try:
        wait = float(option(config, "wait") or 0)
    except ValueError:
        wait = -1.0
    if wait < 0:
        raise pytest.UsageError("--vicidial-wait takes a number of seconds, 0 or more")
    return Settings(
        target=option(config, "target"), user=option(config, "user"), password=option(config, "pass"),
        world=Path(world) if world else None, contract=option(config, "contract") or "reference",
        report_dir=Path(report_dir) if report_dir else None, timeout=timeout, db=option(config, "db"),
        world_db=world_db(config), journal=Path(journal) if journal else None,
        namespace=option(config, "namespace") or "vcrt",
        global_changes=not switch(config, "no-global-changes"), failed_logins=switch(config, "allow-failed-logins"),
        writes=switch(config, "allow-writes"), disturbing=switch(config, "allow-disturbing"),
        checks=checks_from(config), wait=wait,
        retry_refused_login=switch(config, "retry-refused-login"),
    )

def world_db(config: pytest.Config) -> str | None:
    """The SQL fixture database; one that comes only from the environment or an ini key does not
    turn a declared world given on the command line (``--vicidial-world``) into SQL fixture mode."""
    if config.getoption(BY_NAME["world"].dest) is not None and config.getoption(BY_NAME["world-db"].dest) is None:
        return None
    return option(config, "world-db")

def given_options(config: pytest.Config) -> dict[str, str | bool | None]:
    """The run's vicicert options that differ from their defaults (for the rerun commands)."""
    options: dict[str, str | bool | None] = {}
    for name in _RERUN_OPTIONS:
        value, default = option(config, name), BY_NAME[name].default
        if value is None or value == default:
            continue
        if name == "timeout" and float(value) == float(default):
            continue
        options[name] = mask_url(value) if name == "target" else value
    options.update({name: switch(config, name) for name in _RERUN_SWITCHES})
    return options

def max_skipped(config: pytest.Config) -> float | None:
    value = option(config, "max-skipped")
    if value is None:
        return None
    try:
        share = float(str(value).rstrip("%"))
    except ValueError:
        share = -1.0
    if not 0 <= share <= 100:
        raise pytest.UsageError(f"--vicidial-max-skipped {value!r}: give a percentage from 0 to 100")
    return share

def target_shown(settings: Settings) -> str:
    return mask_url(settings.target) if settings.target else "embedded reference host"

def mode_of(settings: Settings) -> str:
    if settings.target is None:
        return "embedded"
    return "sql" if settings.world_db else "declared"

def check_distributed_options(config: pytest.Config) -> None:
    """On the xdist controller, before any worker starts: what cannot run on several workers, and bad options."""
    settings = settings_from(config)
    if settings.world_db:
        raise pytest.UsageError("SQL fixture mode (--vicidial-world-db) runs in one process: its journal and "
                                "rows belong to one run; drop -n (or use -n 0)")
    if settings.db:
        raise pytest.UsageError("--vicidial-db gives every worker the same embedded database, and each case "
                                "rewrites its rows; drop --vicidial-db (each worker then gets its own) or -n")
    if settings.writes and mode_of(settings) == "declared":
        raise pytest.UsageError("--vicidial-allow-writes runs the cases that change the host in one pinned "
                                "order, in one process: drop -n (or use -n 0)")
    try:
        Harness.check(settings)
    except VicicertError as error:
        raise pytest.UsageError(str(error)) from None

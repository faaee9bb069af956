"""The plugin's options: ``--vicidial-*`` flags, ``vicidial_*`` ini keys and ``VICIDIAL_*``
environment variables (flag wins, then environment, then ini), and the run settings made of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..effects import checks_chosen
from ..errors import VicicertError
from ..harness import Harness, Settings
from ..redaction import mask_url

OPTIONS = {
    # name: (help, default)
    "target": ("base URL of the host to check; without it the embedded reference host is started", None),
    "user": ("API user for the main API role (api_admin)", None),
    "pass": ("password of that API user (prefer the VICIDIAL_PASS environment variable)", None),
    "world": ("YAML world file: what the target has (declared mode) or what to create (embedded)", None),
    "contract": ("which texts must match: reference (upstream code) or documented (docs, articles)", "reference"),
    "report-dir": ("folder for the JSON and HTML reports (none written when unset)", None),
    "timeout": ("seconds for each whole answer to arrive", "10"),
    "db": ("database of the embedded host (SQLite path or mysql:// URL; default: a temporary file)", None),
    "world-db": ("SQL fixture mode: the target's own database (mysql://user:pass@host:port/asterisk)", None),
    "journal": ("SQL fixture journal file (default: REPORT_DIR/vicicert-journal.jsonl)", None),
    "namespace": ("prefix of every user the harness creates (2-8 lowercase letters and digits)", "vcrt"),
    "max-skipped": ("percentage of skipped cases above which the run fails with exit status 6", None),
    "expectations": ("expectation file: the cases this host is known to fail or skip (fail only on the "
                     "unexpected)", None),
    "checks": ("what each answer is judged on, comma-separated: body (status and text), headers, effects "
               "(rows left in the database); default all", None),
    "exclude-checks": ("checks left out, comma-separated (body, headers, effects)", None),
    "wait": ("seconds a target that is still starting gets to answer preflight (asked again every half second); "
             "default 0: one try", None),
    "sign-key": ("ed25519 private key (from vicicert keygen) that signs the certificate: "
                 "DIR/vicicert-certificate.tar.gz.sig", None),
}
# On/off options that also read an ini key and an environment variable (1, true, yes or on).
SWITCHES = {
    "all-failures": "describe every failed case in full (by default a failure with the same cause as one "
                    "already described is one line)",
}
TRUE = ("1", "true", "yes", "on")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("vicicert", "VICIdial conformance (vicicert)")
    for name, (help_text, _default) in OPTIONS.items():
        key = name.replace("-", "_")
        group.addoption(f"--vicidial-{name}", dest=f"vicidial_{key}", default=None,
                        help=f"{help_text} [ini vicidial_{key}, env VICIDIAL_{key.upper()}]")
        parser.addini(f"vicidial_{key}", help_text, default=None)
    for name, help_text in SWITCHES.items():
        key = name.replace("-", "_")
        group.addoption(f"--vicidial-{name}", action="store_true", dest=f"vicidial_{key}", default=None,
                        help=f"{help_text} [ini vicidial_{key}, env VICIDIAL_{key.upper()}]")
        parser.addini(f"vicidial_{key}", help_text, type="bool", default=False)
    group.addoption("--vicidial-no-global-changes", action="store_true", dest="vicidial_no_global_changes",
                    help="skip cases that toggle system_settings (for hosts where that is not acceptable)")
    group.addoption("--vicidial-update-expectations", dest="vicidial_update_expectations", metavar="FILE",
                    help="write an expectation file from this run (reasons and links of cases still failing kept)")
    group.addoption("--vicidial-allow-nothing-checked", action="store_true", dest="vicidial_allow_nothing_checked",
                    help="let a run in which every case was skipped pass (otherwise exit status 6)")
    group.addoption("--vicidial-certificate", dest="vicidial_certificate", metavar="DIR",
                    help="write a certification archive (reports, case logs, builds, spec hash, profile verdicts, "
                         "security findings, SHA-256 manifest) into DIR")
    group.addoption("--vicidial-allow-failed-logins", action="store_true", dest="vicidial_allow_failed_logins",
                    help="declared mode: send the cases that are failed logins for the declared accounts too")
    group.addoption("--vicidial-allow-writes", action="store_true", dest="vicidial_allow_writes",
                    help="declared mode: send the cases that change the host's state too (after every read-only "
                         "case, in the specs' order)")


def option(config: pytest.Config, name: str) -> str | None:
    key = name.replace("-", "_")
    value = config.getoption(f"vicidial_{key}")
    if value is None:
        value = os.environ.get(f"VICIDIAL_{key.upper()}")
    if value is None:
        value = config.getini(f"vicidial_{key}")
    return value if value not in (None, "") else OPTIONS[name][1]

def switch(config: pytest.Config, name: str) -> bool:
    """An on/off option: the flag, else the environment variable, else the ini key."""
    key = name.replace("-", "_")
    if config.getoption(f"vicidial_{key}"):
        return True
    value = os.environ.get(f"VICIDIAL_{key.upper()}")
    if value is not None:
        return value.strip().lower() in TRUE
    return bool(config.getini(f"vicidial_{key}"))

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
        global_changes=not config.getoption("vicidial_no_global_changes"),
        failed_logins=config.getoption("vicidial_allow_failed_logins"),
        writes=config.getoption("vicidial_allow_writes"), checks=checks_from(config), wait=wait,
    )

def world_db(config: pytest.Config) -> str | None:
    """The SQL fixture database; one that comes only from the environment or an ini key does not
    turn a declared world given on the command line (``--vicidial-world``) into SQL fixture mode."""
    if config.getoption("vicidial_world") is not None and config.getoption("vicidial_world_db") is None:
        return None
    return option(config, "world-db")

def given_options(config: pytest.Config) -> dict[str, str | bool | None]:
    """The run's vicicert options that differ from their defaults (for the rerun commands)."""
    options: dict[str, str | bool | None] = {}
    for name, (_help, default) in OPTIONS.items():
        value = option(config, name)
        if value is None or value == default:
            continue
        if name == "timeout" and float(value) == float(default):
            continue
        options[name] = mask_url(value) if name == "target" else value
    options["no-global-changes"] = bool(config.getoption("vicidial_no_global_changes"))
    options["allow-failed-logins"] = bool(config.getoption("vicidial_allow_failed_logins"))
    options["allow-writes"] = bool(config.getoption("vicidial_allow_writes"))
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

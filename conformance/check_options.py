"""The options of a check, in one table: each with its ``vicicert check`` flag, the pytest plugin's
``--vicidial-*`` flag, its ``vicidial_*`` ini key and its ``VICIDIAL_*`` environment variable.

The plugin's options (``plugin/options.py``) and the command's (``commands/check.py``) are both built from it;
``tests/test_check_options.py`` keeps every option of either in this table. A few options are flags
on purpose, with no ini key or variable (``settable=False``): the ones that loosen what a run sends
or how it is judged, or that rewrite a file, must never come from a variable left in the
environment or an ini file shared with other runs. The README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckOption:
    """One option of a check, in each of its forms."""

    name: str                   # the plugin's --vicidial-<name>
    help: str
    cli: str | None = None      # vicicert check's flag; None: the plugin's alone
    switch: bool = False        # on/off (the forms read 1, true, yes or on)
    default: str | None = None  # the plugin's default, as text
    settable: bool = True       # also an ini key and an environment variable; False: a flag on purpose
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return f"--vicidial-{self.name}"

    @property
    def dest(self) -> str:
        return f"vicidial_{self.name.replace('-', '_')}"

    @property
    def ini(self) -> str | None:
        return self.dest if self.settable else None

    @property
    def env(self) -> str | None:
        return self.dest.upper() if self.settable else None


CHECK_OPTIONS = (
    CheckOption("target", "base URL of the VICIdial host, e.g. http://127.0.0.1:8080 (default: the embedded "
                "reference host)", cli="--target", metavar="URL"),
    CheckOption("world", "YAML world file: what the target has (declared mode); with --world-db or no --target, "
                "roles and rows of your own added to the bundled world",
                cli="--world", metavar="FILE"),
    CheckOption("user", "API user (main role api_admin); default from the world file", cli="--user"),
    CheckOption("pass", "password of that API user: only from the environment variable VICIDIAL_PASS or an ini "
                "key, never on vicicert's command line (vicicert check reads it from --pass-env's variable)"),
    CheckOption("contract", "which texts must match: the upstream code's (reference, default) or the documented "
                "ones (documented)", cli="--contract", default="reference"),
    CheckOption("report-dir", "where report.html, report.json and junit.xml go (vicicert check: reports/out; "
                "the plugin writes none when unset)", cli="--report-dir", metavar="DIR"),
    CheckOption("timeout", "seconds for each whole answer to arrive (a deadline, not a per-read timeout)",
                cli="--timeout", default="10", metavar="SECONDS"),
    CheckOption("wait", "wait up to SECONDS for a target that is still starting (preflight asks again every half "
                "second; default 0: one try)", cli="--wait", metavar="SECONDS"),
    CheckOption("db", "database of the embedded host: a SQLite path or mysql://user:pass@host:port/db (default: a "
                "temporary SQLite file)", cli="--host-db", metavar="URL"),
    CheckOption("world-db", "SQL fixture mode: write the world into the target's database (mysql://...), "
                "journalled, and remove it afterwards (e.g. --world-db \"$VICIDIAL_WORLD_DB\")",
                cli="--world-db", metavar="URL"),
    CheckOption("journal", "SQL fixture journal (default: REPORT_DIR/vicicert-journal.jsonl)", cli="--journal",
                metavar="FILE"),
    CheckOption("namespace", "prefix of every user the harness creates (2-8 lowercase letters and digits; "
                "default vcrt)", cli="--namespace", default="vcrt"),
    CheckOption("no-global-changes", "skip cases that must toggle system_settings", cli="--no-global-changes",
                switch=True),
    CheckOption("allow-failed-logins", "declared mode: also send the cases that are failed logins for the declared "
                "accounts (upstream locks an account after 10 in 15 minutes)", cli="--allow-failed-logins",
                switch=True, settable=False),
    CheckOption("retry-refused-login", "log in even within 15 minutes of a refused login of the same user on the "
                "same host (vicicert remembers refusals across runs, since upstream locks after 10)",
                cli="--retry-refused-login", switch=True, settable=False),
    CheckOption("allow-writes", "declared mode: also send the cases that change the host's state (recording "
                "signals, pause codes), after every read-only case and in the specs' order", cli="--allow-writes",
                switch=True, settable=False),
    CheckOption("allow-disturbing", "also send a target the cases that change the whole host, not only the "
                "harness's rows (server_refresh: every server rebuilds its Asterisk conf files); SQL fixture mode "
                "puts the host's own columns they change back after each one", cli="--allow-disturbing",
                switch=True, settable=False),
    CheckOption("expectations", "the cases this host is known to fail or skip; the run fails only on the "
                "unexpected (a new failure, or a stale expectation)", cli="--expectations", metavar="FILE"),
    CheckOption("update-expectations", "write an expectation file from this run's failures (reasons and links "
                "kept)", cli="--update-expectations", settable=False, metavar="FILE"),
    CheckOption("certificate", "write a certification archive into DIR: reports, per-case logs, builds, spec hash, "
                "version, expectations, a verdict per profile, security findings, SHA-256 manifest (check it "
                "with: vicicert verify ARCHIVE)", cli="--certificate", metavar="DIR"),
    CheckOption("sign-key", "sign the certificate with this ed25519 private key (from vicicert keygen): "
                "DIR/vicicert-certificate.tar.gz.sig", cli="--sign-key", metavar="KEYFILE"),
    CheckOption("max-skipped", "fail (exit 3) when more than this percentage of the cases were skipped",
                cli="--max-skipped", metavar="PERCENT"),
    CheckOption("allow-nothing-checked", "let a run in which every case was skipped pass (otherwise exit 3)",
                cli="--allow-nothing-checked", switch=True, settable=False),
    CheckOption("checks", "what each answer is judged on, comma-separated: body (status and text), headers, "
                "effects (rows left in the database); default all three", cli="--checks", metavar="NAMES"),
    CheckOption("exclude-checks", "checks left out, e.g. --exclude-checks headers behind a proxy that rewrites "
                "them", cli="--exclude-checks", metavar="NAMES"),
    CheckOption("all-failures", "describe every failed case in full (by default a failure with the same cause as "
                "one already described is one line)", cli="--all-failures", switch=True),
)
BY_NAME = {option.name: option for option in CHECK_OPTIONS}
# vicicert check's own options that are no plugin option: what to check and how pytest runs it.
CLI_ONLY = ("--specs", "--pass-env", "--preflight-only", "-k", "-q", "--workers")

"""A run against a host that answers 8 MiB to every case stays small: each answer is cut to an
excerpt after its case, and a diff keeps a few KiB of lines, so memory and reports do not grow
with the answers (before: about 10 MB of RSS and 0.5 MB of reports per such answer)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from targets import ScriptedTarget

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.client import MAX_BODY

LINE = b"vcrt-big|" + b"x" * 90 + b"\n"   # 100 bytes: an answer of 83,886 lines, the worst case for a diff


class BigAnswers(ScriptedTarget):
    """A loopback host that says its builds and lets the API user log in, then answers every case
    with ``MAX_BODY`` bytes of lines (all of it kept by the client)."""

    def __init__(self):
        self.body = (LINE * (MAX_BODY // len(LINE) + 1))[:MAX_BODY]
        super().__init__([])

    def _answer(self, connection: socket.socket) -> None:
        try:
            connection.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = connection.recv(65536)
                if not data:
                    return
                head += data
            target = head.split(b" ", 2)[1].decode("latin-1")
            function = parse_qs(urlsplit(target).query).get("function", [""])[0]
            if function == "version":
                build = b"2.14-82|BUILD: 250122-1010" if "/agc/" in target else b"2.14-202|BUILD: 250720-1841"
                body = b"VERSION: " + build + b"|DATE: 2026-12-06 10:00:00|EPOCH: 1796551200|\n"
            elif function == "vicicert_preflight":
                body = b"ERROR: function not found\n"
            else:
                body = self.body
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                               b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        except OSError:
            pass
        finally:
            connection.close()


# vicicert's own peak: the kernel's high-water mark of the process's memory since its exec
# (/proc/self/status VmHWM), read as it exits. wait4's ru_maxrss will not do: a child spawned by
# a large parent (pytest after a third of the suite: 319 MiB on CI) starts out charged with the
# parent's resident memory, which it shared until its exec.
PEAK_AT_EXIT = """
import atexit, runpy, sys
def write_peak(path=sys.argv.pop(1)):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(write_peak)
sys.argv[0] = "vicicert"
runpy.run_module("conformance.cli", run_name="__main__")
"""


def run_measured(args: list[str], folder: Path, env: dict) -> tuple[int, int]:
    """Run vicicert; (its exit status, its own peak resident memory in bytes)."""
    peak_file = folder / "peak_kib"
    with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
        code = subprocess.run([sys.executable, "-c", PEAK_AT_EXIT, str(peak_file), *args], cwd=folder, env=env,
                              stdout=out, stderr=err).returncode
    return code, int(peak_file.read_text()) * 1024


@pytest.mark.slow
def test_sixty_answers_of_8_mib_stay_under_300_mb_of_memory_and_20_mb_of_reports(tmp_path, vicidial_world):
    host = BigAnswers()
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    out, specs = tmp_path / "out", tmp_path / "specs"
    (specs / "non_agent_api").mkdir(parents=True)
    for name in ("list_info.yaml", "lead_search.yaml"):   # read-only, and naming no agent that preflight would read
        shutil.copy(SPECS_DIR / "non_agent_api" / name, specs / "non_agent_api" / name)
    try:
        code, peak = run_measured(["check", "--target", host.url, "--world", str(EMBEDDED_WORLD),
                                   "--specs", str(specs),
                                   "--allow-failed-logins", "--timeout", "60", "--report-dir", str(out)],
                                  tmp_path, env)
    finally:
        host.close()
    printed = (tmp_path / "stdout").stat().st_size + (tmp_path / "stderr").stat().st_size
    assert code == 1, (tmp_path / "stdout").read_text()[-3000:] + (tmp_path / "stderr").read_text()[-3000:]
    import json
    cases = json.loads((out / "report.json").read_text())["cases"]
    failed = [case for case in cases if case["status"] == "failed"]
    assert len(failed) >= 60 and all(case["answer"]["bytes"] == MAX_BODY for case in failed)
    reports = sum(path.stat().st_size for path in out.iterdir())
    print(f"\n{len(failed)} answers of {MAX_BODY} bytes: peak RSS {peak / 2**20:.1f} MiB, "
          f"reports {reports / 2**20:.2f} MiB, terminal {printed / 1024:.0f} KiB")
    assert peak < 300 * 10**6 and reports < 20 * 10**6 and printed < 2 * 10**6


def test_a_diff_of_a_long_answer_keeps_a_few_kib():
    """Before: every line of an 8 MiB answer was a '+' line of the diff, in memory and in every report."""
    from conformance.line_diff import DIFF_CHARACTERS, DIFF_LINE_CHARACTERS, line_diff
    from conformance.redaction import Redactor
    from conformance.template import Template

    secret = "Zq9sekretPW"
    actual = "SUCCESS: first\n" + "y" * 5000 + secret + "\n" + "".join(f"line {n}|{secret}\n" for n in range(50_000))
    redact = Redactor({secret})
    diff = line_diff(Template.parse("SUCCESS: first\nSUCCESS: second\n"), {}, {}, actual, redact.excerpt)
    texts = [text for _op, _number, text in diff.lines]
    assert sum(map(len, texts)) < DIFF_CHARACTERS + 2 * DIFF_LINE_CHARACTERS
    assert texts[-1].endswith("more diff lines left out") and int(texts[-1].split()[0]) > 49_000
    assert diff.actual_line == "y" * DIFF_LINE_CHARACTERS + f"… ({5000 + len(secret) - DIFF_LINE_CHARACTERS} more characters)"
    assert not any(secret[:4] in text for text in texts)


def test_an_excerpt_of_a_long_text_masks_what_reaches_into_it():
    """The search around a window of a long text still finds a secret, a pass= value and a URL's
    password that start before the window, and masks each whole."""
    from conformance.redaction import MASK, Redactor

    secret = "Zq9sekretPW"
    redact = Redactor({secret})
    filler = "z" * 1_000_000
    for echoed, window in ((secret, 4), ("&#x5a;" + secret[1:].upper(), 3), (secret, 0)):
        text = filler + echoed + filler
        at = len(filler) + window
        assert redact.excerpt(text, at, at + 20) == MASK + "z" * (20 - len(echoed) + window)
    long_value = "a" * 50_000
    text = filler + f" x?pass={long_value}&y=1 " + filler
    at = len(filler) + 40_000
    assert redact.excerpt(text, at, at + 10) == MASK
    text = filler + " mysql://cron:" + "b" * 40_000 + "@host/db " + filler
    at = len(filler) + 30_000
    assert redact.excerpt(text, at, at + 10) == MASK


def test_a_result_keeps_an_excerpt_of_its_answer_after_its_case():
    from conformance.client import Exchange, Request
    from conformance.execution import ANSWER_KEPT, CaseResult

    exchange = Exchange(Request("/agc/api.php"), "http://h/agc/api.php", 200, body=b"x" * MAX_BODY)
    result = CaseResult(case=None, contract="reference", exchange=exchange)
    result.keep_excerpt()
    assert len(result.exchange.body) == ANSWER_KEPT and result.exchange.size == MAX_BODY
    result.keep_excerpt(10)
    assert result.exchange.size == MAX_BODY

"""Progress of long work: live on a terminal, plain and rate-limited in CI logs, fed by real runs."""

from __future__ import annotations

import io
import json
import os
import re

import pytest
from command import vicicert
from rich.console import Console

from conformance.agent_log_generator import AgentLogPlan
from conformance.errors import UsageError
from conformance.tables.database import SqliteDatabase
from loadtests.latency import LatencyRecorder
from loadtests.progress import ProgressLine, RowProgress, plain_interval
from loadtests.progress_file import all_progress_files, progress_path, read_progress, write_progress
from loadtests.seeder import remove, seed


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def plain(text: str) -> bool:
    return "\r" not in text and "\x1b" not in text


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_plain_output_is_lines_at_most_every_ten_seconds():
    clock, out = Clock(), io.StringIO()
    with RowProgress("seeding", 120_000, stream=out, clock=clock, every=10) as rows:
        for _ in range(120):  # a thousand rows every half second, for a minute
            clock.now += 0.5
            rows.advance(1000)
    lines = out.getvalue().splitlines()
    assert plain(out.getvalue())
    assert lines == [f"seeding: {done:,}/120,000 rows ({100 * done / 120_000:.0f}%), 2,000 rows/s"
                     for done in range(20_000, 120_001, 20_000)]


def test_without_the_limit_every_update_would_print():
    """The same updates with no interval: the limit above is what kept the log short."""
    clock, out = Clock(), io.StringIO()
    with RowProgress("seeding", 120_000, stream=out, clock=clock, every=0) as rows:
        for _ in range(120):
            clock.now += 0.5
            rows.advance(1000)
    assert len(out.getvalue().splitlines()) == 120


def test_quick_work_prints_its_last_figures_once():
    clock, out = Clock(), io.StringIO()
    with RowProgress("removing", 3000, stream=out, clock=clock, every=10) as rows:
        for _ in range(3):
            clock.now += 1
            rows.advance(1000)
    assert out.getvalue() == "removing: 3,000/3,000 rows (100%), 1,000 rows/s\n"


def test_a_note_comes_after_the_figures_so_far():
    clock, out = Clock(), io.StringIO()
    with RowProgress("seeding", 10, stream=out, clock=clock, every=10) as rows:
        clock.now += 1
        rows.update(10)
        rows.note("rows written; rebuilding the indexes")
    assert out.getvalue().splitlines() == ["seeding: 10/10 rows (100%), 10 rows/s",
                                           "seeding: rows written; rebuilding the indexes"]


def test_load_progress_in_plain_lines():
    clock, out = Clock(), io.StringIO()
    with ProgressLine("recording_signals, 5 users", 60, stream=out, clock=clock, every=10) as line:
        line.update(None)  # Locust still starting: nothing to say in a log
        for second in range(1, 61):
            clock.now += 1
            line.update({"requests": 100 * second, "failures": second // 30, "p95_ms": 2.5, "seconds": second})
    lines = out.getvalue().splitlines()
    assert plain(out.getvalue()) and len(lines) == 6
    assert lines[0] == "recording_signals, 5 users: 10/60 s, 1,000 requests, 0 failed, p95 2.50 ms"
    assert lines[-1] == "recording_signals, 5 users: 60/60 s, 6,000 requests, 2 failed, p95 2.50 ms"


def test_a_forced_terminal_console_is_redrawn_live():
    clock, out = Clock(), io.StringIO()
    console = Console(force_terminal=True, file=out, width=120)
    with ProgressLine("recording_signals", 10, console=console, clock=clock) as line:
        for second in range(1, 4):
            clock.now += 1
            line.update({"requests": 1000 * second, "failures": 0, "p95_ms": 1.25, "seconds": second})
    text = out.getvalue()
    assert not plain(text) and "\r" in text and "\x1b[2K" in text  # the line is rewritten in place
    for shown in ("1,000 requests", "2,000 requests", "3,000 requests, 0 failed, p95 1.25 ms"):
        assert shown in text
    assert text.count("\n") <= 2  # one line redrawn, not a line per update


def test_stderr_that_is_a_terminal_gets_the_live_bar(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    terminal, clock = Terminal(), Clock()
    with RowProgress("seeding", 2000, stream=terminal, clock=clock, every=10) as rows:
        clock.now += 1
        rows.advance(1000)
    assert "\r" in terminal.getvalue() and "1,000/2,000 rows" in terminal.getvalue()
    monkeypatch.setenv("TERM", "dumb")  # a terminal that cannot redraw gets plain lines
    terminal = Terminal()
    with RowProgress("seeding", 2000, stream=terminal, clock=clock, every=10) as rows:
        rows.advance(2000)
    assert plain(terminal.getvalue())


def test_progress_interval_from_the_environment(monkeypatch):
    monkeypatch.setenv("VICICERT_PROGRESS_EVERY", "2.5")
    assert plain_interval() == 2.5
    for wrong in ("soon", "-1", "nan"):
        monkeypatch.setenv("VICICERT_PROGRESS_EVERY", wrong)
        with pytest.raises(UsageError, match="VICICERT_PROGRESS_EVERY=.* is not a number of seconds"):
            plain_interval()


def test_a_wrong_interval_is_one_message_from_the_command(tmp_path):
    result = vicicert("seed", "--rows", "10", "--db", str(tmp_path / "seed.sqlite"),
                      env={**os.environ, "VICICERT_PROGRESS_EVERY": "often"}, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "VICICERT_PROGRESS_EVERY='often' is not a number of seconds" in result.stderr


def test_progress_file_is_written_whole_and_added_up_across_workers(tmp_path):
    summary = tmp_path / "summary.json"
    assert progress_path(summary).name == "summary.progress.json"
    assert read_progress(all_progress_files(summary)) is None  # nothing written yet
    write_progress(progress_path(summary, 0), {"requests": 300, "failures": 1, "p95_ms": 2.0}, seconds=3.0)
    write_progress(progress_path(summary, 1), {"requests": 200, "failures": 2, "p95_ms": 7.5}, seconds=3.2)
    (tmp_path / "summary.progress.json.worker2").write_text('{"requests": 9')  # half a file: left out
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "summary.progress.json.worker0", "summary.progress.json.worker1", "summary.progress.json.worker2"]
    assert read_progress(all_progress_files(summary)) == {"requests": 500, "failures": 3, "p95_ms": 7.5, "seconds": 3.2}
    write_progress(progress_path(summary), {"requests": 0, "failures": 0, "p95_ms": None}, seconds=0.5)
    assert read_progress([progress_path(summary)])["p95_ms"] is None


def test_histograms_in_progress_files_merge_exactly(tmp_path):
    """Two workers, one fast and one slow: the merged p95 is the slow one's, as in one histogram."""
    fast, slow, both = LatencyRecorder(), LatencyRecorder(), LatencyRecorder()
    for recorder, seconds in ((fast, 0.002), (slow, 0.050)):
        for _ in range(90 if recorder is fast else 10):
            recorder.record(seconds)
            both.record(seconds)
    for worker, recorder in enumerate((fast, slow)):
        figures = {"requests": recorder.count(), "failures": 0, "histogram": recorder.encoded()}
        write_progress(progress_path(tmp_path / "summary.json", worker), figures, seconds=1.0)
    merged = read_progress(all_progress_files(tmp_path / "summary.json"))
    assert merged["requests"] == 100 and merged["p95_ms"] == both.percentile_ms(95)
    assert 49 < merged["p95_ms"] < 51 and fast.percentile_ms(95) < 3


def test_removal_by_key_ranges_takes_exactly_the_seeded_rows(tmp_path):
    """Small ranges, with rows that are not vicicert's in the middle of them: those stay."""
    database = SqliteDatabase(tmp_path / "seed.sqlite")
    seed(database, AgentLogPlan(rows=5000, seed=2, agents=20), progress=io.StringIO())
    kept = database.write("UPDATE vicidial_agent_log SET comments = 'real' WHERE agent_log_id % 97 = 0")
    out = io.StringIO()
    assert remove(database, progress=out, step=700) == 5000 - kept
    # no count first (a second pass over the rows): progress goes by the seeded rows' span of keys
    assert re.fullmatch(r"(removing: [\d,]+/5,000 keys \(\d+%\), [\d,]+ keys/s\n)+", out.getvalue())
    assert "5,000/5,000 keys (100%)" in out.getvalue().splitlines()[-1]
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log") == kept == 51
    assert remove(database, progress=out) == 0  # nothing left: no range to walk


def test_seed_and_remove_commands_print_plain_progress(tmp_path):
    database = str(tmp_path / "tmp.sqlite")
    seeded = vicicert("seed", "--rows", "20000", "--db", database, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    assert plain(seeded.stderr) and re.search(r"^seeding: 20,000/20,000 rows \(100%\), [\d,]+ rows/s$",
                                              seeded.stderr, re.MULTILINE)
    removed = vicicert("seed", "--remove", "--db", database, timeout=120)
    assert removed.returncode == 0 and "removed 20,000 seeded rows" in removed.stdout
    assert plain(removed.stderr) and "removing: 20,000/20,000 keys (100%)" in removed.stderr


@pytest.mark.slow  # a real Locust run
def test_a_real_load_run_shows_its_progress_in_plain_lines(tmp_path):
    result = vicicert("load", "recording", "--agents", "5", "--seconds", "4", "--report-dir", str(tmp_path),
                      env={**os.environ, "VICICERT_PROGRESS_EVERY": "1"}, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert plain(result.stderr)
    shown = [(int(seconds), int(requests.replace(",", "")), int(failed)) for seconds, requests, failed in re.findall(
        r"^recording_signals, 5 users: (\d+)/4 s, ([\d,]+) requests, (\d+) failed, p95 [\d.]+ ms$",
        result.stderr, re.MULTILINE)]
    assert 2 <= len(shown) <= 15, result.stderr  # about one a second, never one per poll
    assert all(requests > 0 and failed == 0 for _, requests, failed in shown)
    assert [requests for _, requests, _ in shown] == sorted(requests for _, requests, _ in shown)
    folder = tmp_path / "load-recording"
    figures = json.loads((folder / "summary.progress.json").read_text())
    summary = json.loads((folder / "summary.json").read_text())
    assert figures["requests"] == summary["requests"] == shown[-1][1]  # the last write is made as Locust quits
    assert not list(folder.glob("*.tmp"))

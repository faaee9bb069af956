"""Open-model latency matches the truth within measured noise; the closed model misses the stalls.

The loopback target serves in 200 ms but freezes for 1 s every 10 s. It records, for every
request, the intended send time the client scheduled and the moment it finished answering:
that difference is the true latency of the arrival, by the target's own clock. The model
(200 ms plus the rest of the freeze the arrival falls in) checks the target behaves as
designed (it may be slower on a busy machine, never faster); the closed model, run against the
same target, shows how much of the tail it hides.

Tolerances come from measured noise: 8 runs on the shared 2-core machine (4 of them beside a
CPU hog, ``python -c "while 1: pass"``). The open model was off the truth by at most 1.7 %
(p50), 7.1 % (p95), 1.8 % (p99), 4.8 % (p99.9): after a freeze thaws a hundred answers arrive
at once, and a busy generator reads the last of them tens of ms late, on the steep part of
the distribution where p95 sits. The truth was off the model (the generator sending late, the
target's threads waking late) by at most 5.9 %, 17 %, 6.6 %, 7.1 %. Each tolerance is about
three times the worst seen. The closed model was off the truth at p95 by 54 % or more in every
run. Structurally, a closed-model user waits out a freeze with at most one request, so a freeze
holds at most 10 closed requests against about 100 scheduled arrivals: that is counted exactly.
"""

from __future__ import annotations

import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from loadtests.locust_process import run_locust
from loadtests.slo import Slo

pytestmark = pytest.mark.slow  # about a minute of load

BASE, FREEZE, PERIOD = 0.200, 1.0, 10.0
# |open - truth| / truth and (model - truth) / model allowed, per percentile (see the docstring)
OPEN_TOLERANCE = {"p50": 0.05, "p95": 0.20, "p99": 0.06, "p99.9": 0.15}
# p99.9 is the third-worst of ~3,000 arrivals: once in nine runs it was 1 s above the model (a
# connection set-up retried after a second, most likely), which the truth and the open model both
# saw; so the design is checked up to p99, and the open model against the truth up to p99.9.
DESIGN_TOLERANCE = {"p50": 0.18, "p95": 0.50, "p99": 0.20}
CLOSED_USERS = 10
PROFILE = Path(__file__).resolve().parent.parent / "loadtests" / "probe.py"


class StallingTarget:
    """Threaded loopback server: 200 ms per request, everything frozen 1 s in every 10 s."""

    def __init__(self):
        self.origin = time.monotonic() + 2.5
        self.intended: list[float] = []
        self.observed: list[float] = []
        self.stalled = 0                   # requests that waited out a freeze
        self.freezes: set[int] = set()     # which freezes they waited out
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                intended = float(parse_qs(urlsplit(self.path).query).get("t", ["0"])[0])
                target.intended.append(intended)
                arrived = time.monotonic()
                thaw = target.freeze_end(arrived)
                if thaw:
                    target.stalled += 1
                    target.freezes.add(int((arrived - target.origin) // PERIOD))
                    time.sleep(max(0.0, thaw - time.monotonic()))
                time.sleep(BASE)
                self.send_response(200)
                self.send_header("Content-Length", "3")
                self.end_headers()
                self.wfile.write(b"ok\n")
                target.observed.append(time.monotonic() - intended)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 1024
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def freeze_end(self, moment: float) -> float | None:
        offset = (moment - self.origin) % PERIOD
        if moment >= self.origin and offset < FREEZE:
            return moment - offset + FREEZE
        return None

    def model(self) -> list[float]:
        """What an ideal client and server would see for the scheduled arrivals."""
        return sorted(BASE + ((self.freeze_end(t) or t) - t) for t in self.intended)

    def truth(self) -> list[float]:
        """Intended send to answer written, by the target's clock."""
        return sorted(self.observed)

    def stop(self):
        self.server.shutdown()


def percentile(sorted_values: list[float], percent: float) -> float:
    return sorted_values[max(0, math.ceil(percent / 100 * len(sorted_values)) - 1)]


def run_probe(url: str, summary: Path, users: int, seconds: int, rate: float | None) -> dict:
    found = run_locust(url, None, summary, users, users, seconds, Slo(), rate, profile=PROFILE,
                       extra_environment={"VICICERT_PROBE_PATH": "/probe"})
    assert found is not None and found["locust_exit_code"] == 0, found
    return found


def test_open_model_matches_the_truth_and_closed_model_does_not(tmp_path, capsys):
    target = StallingTarget()
    try:
        measured = run_probe(target.url, tmp_path / "open.json", users=150, seconds=33, rate=100.0)
        truth, model = target.truth(), target.model()
    finally:
        target.stop()
    closed_target = StallingTarget()
    try:
        closed = run_probe(closed_target.url, tmp_path / "closed.json", users=CLOSED_USERS, seconds=21, rate=None)
    finally:
        closed_target.stop()
    assert measured["failures"] == 0 and measured["count"] >= 2500
    rows = []
    for label, percent in (("p50", 50.0), ("p95", 95.0), ("p99", 99.0), ("p99.9", 99.9)):
        real, designed = percentile(truth, percent) * 1000, percentile(model, percent) * 1000
        open_ms, closed_ms = measured[f"{label}_ms"], closed[f"{label}_ms"]
        rows.append((label, designed, real, open_ms, closed_ms))
    table = "\n".join(f"  {label:>6}: model {designed:7.1f}  truth {real:7.1f}  open {open_ms:7.1f} "
                      f"({(open_ms / real - 1) * 100:+.1f}%)  closed {closed_ms:7.1f} ({(closed_ms / real - 1) * 100:+.1f}%)"
                      for label, designed, real, open_ms, closed_ms in rows)
    table += (f"\n  requests that waited out a freeze: open {target.stalled} in {len(target.freezes)} freezes, "
              f"closed {closed_target.stalled} in {len(closed_target.freezes)}")
    with capsys.disabled():
        print("\nlatency (ms): model, truth (target's clock), open model, closed model\n" + table)
    for label, designed, real, open_ms, _ in rows:
        # One-sided: a busy machine only adds time (the generator sends late, the target's threads wake
        # late), which the truth and the open model both see; a truth short of the design would mean
        # the freezes did not happen. Beside a second whole suite the truth's p99 was 47 % above it.
        assert label not in DESIGN_TOLERANCE or real >= (1 - DESIGN_TOLERANCE[label]) * designed, \
            f"{label}: the target did not stall as designed\n{table}"
        assert abs(open_ms - real) <= OPEN_TOLERANCE[label] * real, \
            f"{label}: open model off the truth by more than {OPEN_TOLERANCE[label]:.0%}\n{table}"
    # A tenth of arrivals fall into a freeze, but each closed-model user waits out a freeze only
    # once: its p95 looks like another host's, and a freeze holds at most one request per user.
    real_p95 = percentile(truth, 95.0) * 1000
    assert abs(closed["p95_ms"] - real_p95) >= 0.4 * real_p95, table
    assert closed_target.stalled <= CLOSED_USERS * len(closed_target.freezes), table
    assert target.stalled >= 3 * CLOSED_USERS * len(target.freezes) > 0, table

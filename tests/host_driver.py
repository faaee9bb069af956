"""Drive a reference host with many requests over real sockets and read its open files and memory.

Run as a script to measure any checkout's host (``PYTHONPATH=<checkout> python tests/host_driver.py``):
it starts ``vicicert serve`` from whatever ``conformance`` package is importable and prints figures.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Footprint:
    """What a process holds: open files, resident memory and threads."""

    fds: int
    rss_mib: float
    threads: int

    @classmethod
    def of(cls, pid: int) -> "Footprint":
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        return cls(fds=len(os.listdir(f"/proc/{pid}/fd")), rss_mib=int(status["VmRSS"].split()[0]) / 1024,
                   threads=int(status["Threads"]))


def request_paths(world) -> list[str]:
    """A mix of reads on both APIs: a version call, a recording status and a small stats export."""
    admin = world.api_users["api_admin"]
    agent = world.agents["agent_paused"]
    login = f"source=steady&user={admin['user']}&pass={admin['pass']}"
    return [f"/agc/api.php?function=version",
            f"/agc/api.php?{login}&agent_user={agent['user']}&function=recording&value=STATUS",
            f"/vicidial/non_agent_api.php?{login}&function=agent_stats_export&time_format=S"
            f"&datetime_start=2000-06-01+00:00:00&datetime_end=2000-06-01+23:59:59"]


def drive(port: int, paths: list[str], requests: int, threads: int = 8) -> tuple[float, list[str]]:
    """Send ``requests`` GETs from ``threads`` clients: even clients keep one connection alive for
    50 requests, odd ones open a new connection for every request. Returns (seconds, failures)."""
    share = requests // threads
    failures: list[str] = []

    def client(index: int) -> None:
        per_connection = 50 if index % 2 == 0 else 1
        sent = 0
        while sent < share:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                for _ in range(min(per_connection, share - sent)):
                    connection.request("GET", paths[sent % len(paths)])
                    response = connection.getresponse()
                    response.read()
                    if response.status != 200:
                        failures.append(f"HTTP {response.status}")
                    sent += 1
            except OSError as error:
                failures.append(repr(error))
                sent += 1
            finally:
                connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.monotonic() - started, failures


def start_serve(port: int, folder: Path, *extra: str) -> subprocess.Popen:
    """``vicicert serve`` on a new SQLite file, answering once this returns."""
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port),
                                "--db", str(folder / "reference.sqlite"), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/agc/api.php?function=version", timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("vicicert serve did not start: " + process.stderr.read()[-2000:]) from None
            time.sleep(0.1)


def measure(requests: int = 20_000, warmup: int = 2_000, threads: int = 8) -> dict:
    """Start ``vicicert serve``, warm it up, drive it, and return its figures before and after."""
    from conformance.bundle import EMBEDDED_WORLD
    from conformance.world import load_world

    paths = request_paths(load_world(EMBEDDED_WORLD))
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="vicicert-steady-") as folder:
        process = start_serve(port, Path(folder))
        try:
            drive(port, paths, warmup, threads)
            before = Footprint.of(process.pid)
            seconds, failures = drive(port, paths, requests, threads)
            after = Footprint.of(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {"before": before, "after": after, "rate": requests / seconds, "failures": failures}


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    figures = measure(requests)
    before, after = figures["before"], figures["after"]
    print(f"{requests:,} requests at {figures['rate']:,.0f} req/s, {len(figures['failures'])} failed; "
          f"fds {before.fds} -> {after.fds}, RSS {before.rss_mib:.1f} -> {after.rss_mib:.1f} MiB, "
          f"threads {before.threads} -> {after.threads}")


if __name__ == "__main__":
    main()

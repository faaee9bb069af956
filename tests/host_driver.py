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
    return ["/agc/api.php?function=version",
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


def serve_command(folder: Path) -> list[str]:
    """``vicicert serve`` on a new SQLite file in ``folder`` (the port is appended)."""
    return [sys.executable, "-m", "conformance.cli", "serve", "--db", str(folder / "reference.sqlite"), "--port"]


def start_host(command: list[str], port: int) -> subprocess.Popen:
    """Run ``command`` + ``port`` and return once the host answers; its stderr is piped."""
    process = subprocess.Popen([*command, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/agc/api.php?function=version", timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the host did not start: " + process.communicate()[1][-2000:]) from None
            time.sleep(0.1)


def stop_host(process: subprocess.Popen) -> str:
    """Stop the host and return what it wrote to stderr."""
    process.terminate()
    return process.communicate(timeout=30)[1]


def measure(command: list[str], requests: int = 20_000, warmup: int = 2_000, threads: int = 8) -> dict:
    """Start a host, warm it up, drive it, and return its footprint before and after."""
    from conformance.bundle import EMBEDDED_WORLD
    from conformance.world import load_world

    paths = request_paths(load_world(EMBEDDED_WORLD))
    port = free_port()
    process = start_host(command, port)
    try:
        drive(port, paths, warmup, threads)
        before = Footprint.of(process.pid)
        seconds, failures = drive(port, paths, requests, threads)
        after = Footprint.of(process.pid)
    finally:
        errors = stop_host(process)
    return {"before": before, "after": after, "rate": requests / seconds, "failures": failures, "stderr": errors}


def slowloris(port: int, sockets: int = 50, give_up: float = 30.0, trickle: float = 0.5) -> list[float | None]:
    """Open ``sockets`` connections that send a request line and then one header byte every
    ``trickle`` seconds, never finishing the head. Returns, per socket, the seconds after which the
    host closed it (None: still open after ``give_up``)."""
    import select

    started = time.monotonic()
    open_sockets = {}
    for index in range(sockets):
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(b"GET /agc/api.php?function=version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        open_sockets[client] = index
    closed_after: list[float | None] = [None] * sockets
    while open_sockets and time.monotonic() - started < give_up:
        for client in list(open_sockets):
            try:
                client.send(b"a")
            except OSError:   # reset by the host
                closed_after[open_sockets.pop(client)] = time.monotonic() - started
                client.close()
        readable, _, _ = select.select(list(open_sockets), [], [], trickle)
        for client in readable:
            try:
                gone = client.recv(4096) == b""
            except OSError:
                gone = True
            if gone:
                closed_after[open_sockets.pop(client)] = time.monotonic() - started
                client.close()
    for client in open_sockets:
        client.close()
    return closed_after


def main() -> None:
    """``host_driver.py [REQUESTS]`` drives a fresh ``vicicert serve``; ``host_driver.py slowloris`` holds
    50 trickling sockets against one and reports when the host let them go."""
    with tempfile.TemporaryDirectory(prefix="vicicert-steady-") as folder:
        command = serve_command(Path(folder))
        if sys.argv[1:2] == ["slowloris"]:
            port = free_port()
            process = start_host(command, port)
            try:
                closed = slowloris(port, give_up=20.0)
            finally:
                stop_host(process)
            held = sum(1 for seconds in closed if seconds is None)
            done = [seconds for seconds in closed if seconds is not None]
            print(f"slowloris: {held} of {len(closed)} sockets still held after 20 s"
                  + (f"; the others closed after {min(done):.1f}..{max(done):.1f} s" if done else ""))
            return
        requests = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
        figures = measure(command, requests)
    before, after = figures["before"], figures["after"]
    print(f"{requests:,} requests at {figures['rate']:,.0f} req/s, {len(figures['failures'])} failed; "
          f"fds {before.fds} -> {after.fds}, RSS {before.rss_mib:.1f} -> {after.rss_mib:.1f} MiB, "
          f"threads {before.threads} -> {after.threads}")


if __name__ == "__main__":
    main()

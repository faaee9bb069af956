"""Benchmarks of agent_stats_export: the oracle, and the reference host on SQLite.

    .venv/bin/python benchmarks/agent_stats_export.py --rows 10000000

Prints wall time, rows per second and peak memory (VmHWM) of each step, each measured in
a fresh child process so one step's memory does not count against another. The SQLite
database is built once under --workdir and reused. Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
import urllib.parse
import urllib.request
from pathlib import Path

from conformance.bundle import EMBEDDED_WORLD
from conformance.world import load_world

ADMIN = load_world(EMBEDDED_WORLD).api_users["api_admin"]  # seeded_world holds the embedded world


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate_only(rows: int, queue) -> None:
    from conformance.agent_log_generator import AgentLogPlan, chunks
    started = time.perf_counter()
    count = sum(len(columns["epoch"]) for columns in chunks(AgentLogPlan(rows=rows)))
    queue.put({"step": "generator (columns)", "rows": count, "seconds": time.perf_counter() - started,
               "peak_mib": _peak_mib()})


def _columnar_oracle(rows: int, queue) -> None:
    from conformance.agent_log_generator import AgentLogPlan
    from conformance.oracle.agent_stats import StatsQuery
    from conformance.oracle.columns import export_generated
    plan = AgentLogPlan(rows=rows)
    start, end = plan.window()
    started = time.perf_counter()
    body = export_generated(plan, StatsQuery(user=ADMIN["user"], datetime_start=start, datetime_end=end))
    queue.put({"step": "generator+oracle (columnar)", "rows": rows, "seconds": time.perf_counter() - started,
               "peak_mib": _peak_mib(), "lines": body.count("\n")})


def _oracle(rows: int, queue) -> None:
    from conformance.agent_log_generator import AgentLogPlan, generate
    from conformance.oracle.agent_stats import StatsQuery, export
    plan = AgentLogPlan(rows=rows)
    start, end = plan.window()
    started = time.perf_counter()
    body = export(generate(plan), plan.user_rows(), StatsQuery(user=ADMIN["user"], datetime_start=start, datetime_end=end))
    queue.put({"step": "generator+oracle (streaming)", "rows": rows, "seconds": time.perf_counter() - started,
               "peak_mib": _peak_mib(), "lines": body.count("\n")})


def _build_database(path: Path, rows: int, queue) -> None:
    from conformance.agent_log_generator import AgentLogPlan
    from loadtests.seeder import seeded_world
    started = time.perf_counter()
    seeded_world(path, AgentLogPlan(rows=rows))
    queue.put({"step": "sqlite load (world + generate + insert + index)", "rows": rows,
               "seconds": time.perf_counter() - started, "peak_mib": _peak_mib()})


def _serve(path: Path, port_queue, stop_event) -> None:
    from conformance.host.server import EmbeddedHost
    host = EmbeddedHost(path).start()
    port_queue.put(host.base_url)
    stop_event.wait()
    host.stop()


def _host_peak(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(rows: int, workdir: Path, skip_oracle: bool = False, row_oracle: bool = False) -> list[dict]:
    from conformance.agent_log_generator import AgentLogPlan
    from conformance.oracle.agent_stats import StatsQuery
    from conformance.oracle.columns import export_generated
    context = multiprocessing.get_context("spawn")
    results = []

    def child(target, *args):
        queue = context.Queue()
        process = context.Process(target=target, args=(*args, queue))
        process.start()
        result = queue.get()
        process.join()
        results.append(result)
        print(json.dumps(result), flush=True)

    if not skip_oracle:
        child(_generate_only, rows)
        child(_columnar_oracle, rows)
        if row_oracle:
            child(_oracle, rows)
    database = workdir / f"world_and_agent_log_{rows}.sqlite"
    if not database.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        child(_build_database, database, rows)
    urls, stop = context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(database, urls, stop))
    server.start()
    base = urls.get()
    plan = AgentLogPlan(rows=rows)
    start, end = plan.window()
    for label, extra in (("HF", {}), ("S, by campaign", {"time_format": "S", "group_by_campaign": "YES"})):
        params = {"source": "bench", "user": ADMIN["user"], "pass": ADMIN["pass"], "function": "agent_stats_export",
                  "datetime_start": start, "datetime_end": end, "header": "YES", **extra}
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/vicidial/non_agent_api.php?{urllib.parse.urlencode(params)}",
                                    timeout=600) as answer:
            body = answer.read()
        seconds = time.perf_counter() - started
        expected = export_generated(plan, StatsQuery.from_params(params))  # a fast wrong answer is no figure
        result = {"step": f"reference host export ({label})", "rows": rows, "seconds": seconds,
                  "host_peak_mib": _host_peak(server.pid), "lines": body.count(b"\n"),
                  "equals_oracle": body.decode("latin-1") == expected}
        results.append(result)
        print(json.dumps(result), flush=True)
    stop.set()
    server.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.data"))
    parser.add_argument("--skip-oracle", action="store_true", help="only the SQLite load and the host's exports")
    parser.add_argument("--row-oracle", action="store_true", help="also time the row-by-row oracle (slow)")
    args = parser.parse_args()
    results = run(args.rows, args.workdir, args.skip_oracle, args.row_oracle)
    print()
    for result in results:
        rate = result["rows"] / result["seconds"]
        memory = result.get("peak_mib", result.get("host_peak_mib"))
        verdict = {True: "  equals the oracle", False: "  DIFFERS from the oracle"}.get(result.get("equals_oracle"), "")
        print(f"{result['step']:<40} {result['seconds']:8.2f} s  {rate / 1e6:6.2f} M rows/s  "
              f"peak {memory:7.0f} MiB{verdict}")


if __name__ == "__main__":
    main()

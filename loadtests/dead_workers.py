"""Workers that died mid-run: named, and their agents' stored signals judged as far as they can be.

A worker that dies takes with it which signal each of its agents last had confirmed, so its agents
cannot be held to a confirmation. What can still be judged is what the host stored for them: each
must be a signal the profile sends (nothing, STOP, START or START with a stage); anything else is a
signal the host made up or mangled. A run with a dead worker never passes: part of its load and of
its checks is missing. No locust import.
"""

from __future__ import annotations

import re

SENT_SIGNAL = re.compile(r"(|STOP|START(_L\d{3})?)")


def judge_dead_workers(summary: dict, database) -> None:
    """Each dead worker of ``summary["dead_workers"]`` gets ``stored``: its agents in the database,
    how many hold a signal, and those holding something the run never sent."""
    for worker in summary.get("dead_workers") or []:
        if not worker.get("count"):
            worker["stored"] = {"agents": 0, "holding_a_signal": 0, "not_a_sent_signal": []}
            continue
        first, last = worker["agents"].split("-", 1)
        rows = database.all("SELECT user, external_recording FROM vicidial_live_agents WHERE user >= ? AND user <= ? "
                            "ORDER BY user", first, last)
        wrong = [f"{user}: stored {held!r}" for user, held in rows if not SENT_SIGNAL.fullmatch(held or "")]
        worker["stored"] = {"agents": len(rows), "holding_a_signal": sum(1 for _user, held in rows if held),
                            "not_a_sent_signal": wrong}


def print_dead_workers(summary: dict) -> None:
    """The dead workers, each named with its agents and what the host stored for them."""
    from .summary_merge import describe_dead_worker

    for worker in summary.get("dead_workers") or []:
        print(f"  DEAD WORKER {describe_dead_worker(worker)}")
        stored = worker.get("stored")
        if stored:
            print(f"    its {stored['agents']} agents in the database: {stored['holding_a_signal']} hold a signal, "
                  f"{len(stored['not_a_sent_signal'])} hold one the run never sent"
                  + "".join(f"\n    {line}" for line in stored["not_a_sent_signal"][:10]))

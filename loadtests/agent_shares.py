"""Agents split among Locust workers exactly: each worker a disjoint share, as large as its users.

Locust's master decides how many users each worker runs: its dispatcher deals users out
round-robin over the workers in an order of its own (sorted by worker id), not in the order
of their indexes. A worker that took agents by its index (w, w + workers, ...) therefore ran
out when it was dealt the odd user: five users for five agents on two workers failed in three
runs of four. So the master, as the test starts, runs a dispatcher of its own class to the end
of the ramp-up, which tells it how many users each worker will hold, and sends each worker one
contiguous range of agents of exactly that size: disjoint, and together the first ``users`` agents.

No locust import: the profile passes its runner in.
"""

from __future__ import annotations

import heapq

MESSAGE = "vicicert_agent_share"


def contiguous_shares(users_by_worker: dict[str, int]) -> dict[str, tuple[int, int]]:
    """(first agent index, count) for each worker, in worker id order, one after another."""
    shares, first = {}, 0
    for worker in sorted(users_by_worker):
        shares[worker] = (first, users_by_worker[worker])
        first += users_by_worker[worker]
    return shares


def users_by_worker(master, users: int) -> dict[str, int]:
    """How many of ``users`` each connected worker holds once the master's ramp-up is over."""
    workers = master.clients.ready + master.clients.running + master.clients.spawning
    dispatcher = master.environment.dispatcher_class(worker_nodes=workers, user_classes=master.user_classes)
    dispatcher.new_dispatch(target_user_count=users, spawn_rate=max(users, 1))  # one step: no sleep
    placed: dict[str, dict[str, int]] = {worker.id: {} for worker in workers}
    for placed in dispatcher:
        pass
    return {worker: sum(counts.values()) for worker, counts in placed.items()}


def send_shares(master, users: int, content=lambda first, count: {}) -> dict[str, tuple[int, int]]:
    """The master's part: each worker its share, sent before the first spawn message (so it arrives first);
    ``content(first, count)`` adds what the worker needs of those agents (the profile's world)."""
    shares = contiguous_shares(users_by_worker(master, users))
    for worker, (first, count) in shares.items():
        master.send_message(MESSAGE, {"first": first, "count": count, **content(first, count)}, client_id=worker)
    return shares


def as_free_agents(share: dict) -> list[int]:
    """A worker's share as the heap of agent indexes its users take from (lowest first)."""
    free = list(range(share["first"], share["first"] + share["count"]))
    heapq.heapify(free)
    return free

"""Benchmark: a run's redactor, built from the world's secrets and then masking answers.

    .venv/bin/python benchmarks/redactor_setup.py --answers 200 --repeat 5

Every run (and every test that runs cases) adds the world's secrets to one Redactor, one by one,
then masks each answer. Before: each ``add`` compiled the patterns of every secret added so far
(``former_add`` below, as it was), so a world of n secrets compiled n patterns of growing size.
After: the patterns are compiled once, at the first search, and shared by every redactor of the
same secrets (a case with a wrong password makes one). Medians in ms and their ratio; each repeat
runs before and after back to back (ABAB), with the pattern cache cleared. Not a test: figures
go in the notes.
"""

from __future__ import annotations

import argparse
import statistics
import time

from conformance import redaction
from conformance.bundle import EMBEDDED_WORLD
from conformance.redaction import Redactor, plain_forms, secret_forms
from conformance.world import load_world


def former_add(redactor: Redactor, secret: str) -> None:
    """``Redactor.add`` as it was: both patterns compiled again over every secret so far."""
    redactor.add(secret)
    redaction._alternation(set().union(*(secret_forms(s) for s in redactor._secrets)))
    redaction._alternation(set().union(*(plain_forms(s) for s in redactor._secrets)))


def one_run(secrets: list[str], answers: list[str], former: bool) -> float:
    redaction._secret_patterns.cache_clear()
    started = time.perf_counter()
    redactor = Redactor()
    for secret in secrets:
        former_add(redactor, secret) if former else redactor.add(secret)
    for answer in answers:
        redactor(answer)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200, help="answers masked per run")
    parser.add_argument("--repeat", type=int, default=5, help="ABAB pairs")
    args = parser.parse_args()
    secrets = sorted(load_world(EMBEDDED_WORLD).secrets)
    answers = [f"SUCCESS: answer {number}|user{number}|pass={number}&x=1\n" * 3 for number in range(args.answers)]
    before, after = [], []
    for _ in range(args.repeat):
        before.append(one_run(secrets, answers, former=True))
        after.append(one_run(secrets, answers, former=False))
    print(f"{len(secrets)} secrets, {args.answers} answers masked per run, {args.repeat} ABAB pairs")
    print(f"before (patterns per add): median {statistics.median(before):8.1f} ms")
    print(f"after  (patterns once):    median {statistics.median(after):8.1f} ms")
    print(f"ratio after/before: {statistics.median(a / b for a, b in zip(after, before)):.3f}")


if __name__ == "__main__":
    main()

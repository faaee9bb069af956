"""Certification profiles: named sets of functions, each with a verdict of its own.

A profile is certified when every case of its functions that ran passed on the reference
text. The security profile is separate (``security``): informational, never a verdict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .outcomes import OUTCOMES, outcome

if TYPE_CHECKING:
    from ..spec import Spec

API_PROFILES = {"agent_api": "Agent API", "non_agent_api": "Non-Agent API"}


def profiles_from(specs: Iterable[Spec]) -> dict[str, tuple[str, ...]]:
    """Profile name -> its functions ("api/function"), from the specs alone: each API's profile
    holds every function of that API; a spec's ``profiles:`` adds its function to those, and
    each profile holds the preamble of every API its functions use."""
    members: dict[str, set[str]] = defaultdict(set)
    for spec in specs:
        for name in (API_PROFILES[spec.api], *spec.profiles):
            members[name] |= {f"{spec.api}/{spec.function}", f"{spec.api}/preamble"}
    return {name: tuple(sorted(functions)) for name, functions in sorted(members.items())}


@lru_cache(maxsize=1)
def shipped_profiles() -> dict[str, tuple[str, ...]]:
    """The profiles of the specs vicicert ships."""
    from ..bundle import SPECS_DIR   # the specs are read only when a certificate is written
    from ..spec import load_specs
    return profiles_from(load_specs(SPECS_DIR))


def profile_verdicts(records: list[dict], profiles: dict[str, tuple[str, ...]] | None = None) -> list[dict]:
    """Per profile: its verdict, the outcome counts and the case ids that kept it from certification.

    Verdicts, first that applies: ``not checked`` (nothing ran), ``failed`` (a case failed
    outright), ``not implemented`` (some answered like an unknown function), ``incomplete``
    (some function had no case that ran), ``documented texts only`` (some matched only a
    documented text), ``certified`` (every case that ran passed)."""
    verdicts = []
    for name, functions in (shipped_profiles() if profiles is None else profiles).items():
        mine = [record for record in records if f"{record['api']}/{record['function']}" in functions]
        outcomes = {record["id"]: outcome(record) for record in mine}
        counts = Counter(outcomes.values())
        ran = sum(counts[kind] for kind in OUTCOMES if kind != "skipped")
        checked = {f"{r['api']}/{r['function']}" for r in mine if outcomes[r["id"]] != "skipped"}
        unchecked = [function for function in functions if function not in checked]
        if ran == 0:
            verdict = "not checked"
        elif counts["failed"]:
            verdict = "failed"
        elif counts["not_implemented"]:
            verdict = "not implemented"
        elif unchecked:
            verdict = "incomplete"
        elif counts["documented_only"]:
            verdict = "documented texts only"
        else:
            verdict = "certified"
        verdicts.append({
            "profile": name, "functions": list(functions), "verdict": verdict,
            "outcomes": {kind: counts[kind] for kind in OUTCOMES},
            "unchecked_functions": unchecked,
            "short_of_passed": sorted(case_id for case_id, kind in outcomes.items()
                                      if kind not in ("passed", "skipped")),
        })
    return verdicts

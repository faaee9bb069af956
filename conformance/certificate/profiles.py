"""Certification profiles: named sets of functions, each with a verdict of its own.

A profile is certified when every case of its functions that ran passed on the reference
text. The security profile is separate (``security``): informational, never a verdict.
"""

from __future__ import annotations

from collections import Counter

from .outcomes import OUTCOMES, outcome

# name -> the functions ("api/function") a host must implement to claim it
_AGENT_CALL_CONTROL = ("agent_api/external_pause", "agent_api/logout", "agent_api/external_hangup",
                       "agent_api/external_status", "agent_api/external_dial", "agent_api/send_dtmf",
                       "agent_api/set_timer_action", "agent_api/refresh_panel", "agent_api/park_call",
                       "agent_api/preview_dial_action", "agent_api/switch_lead", "agent_api/update_fields")
PROFILES: dict[str, tuple[str, ...]] = {
    "Agent API": ("agent_api/preamble", "agent_api/pause_code", "agent_api/recording", *_AGENT_CALL_CONTROL,
                  "agent_api/webserver"),
    "Agent call control": ("agent_api/preamble", *_AGENT_CALL_CONTROL),
    "Agent pause codes": ("agent_api/preamble", "agent_api/pause_code"),
    "Agent recording": ("agent_api/preamble", "agent_api/recording"),
    "Non-Agent reporting": ("non_agent_api/preamble", "non_agent_api/agent_stats_export",
                            "non_agent_api/agent_status", "non_agent_api/logged_in_agents",
                            "non_agent_api/user_group_status", "non_agent_api/in_group_status"),
}


def profile_verdicts(records: list[dict], profiles: dict[str, tuple[str, ...]] = PROFILES) -> list[dict]:
    """Per profile: its verdict, the outcome counts and the case ids that kept it from certification.

    Verdicts, first that applies: ``not checked`` (nothing ran), ``failed`` (a case failed
    outright), ``not implemented`` (some answered like an unknown function), ``incomplete``
    (some function had no case that ran), ``documented texts only`` (some matched only a
    documented text), ``certified`` (every case that ran passed)."""
    verdicts = []
    for name, functions in profiles.items():
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

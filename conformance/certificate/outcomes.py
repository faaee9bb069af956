"""Each case's certification outcome, from its record (plain data).

passed            the reference text matched
documented_only   no reference match, but a documented text (docs, article) matched
not_implemented   the answer is what the API gives a function it does not have
failed            none of these
skipped           the case did not run
"""

from __future__ import annotations

OUTCOMES = ("passed", "documented_only", "not_implemented", "failed", "skipped")

# What each API answers to a function name it lacks (status, body), as the preamble specs pin
# it: agent_api/preamble.yaml::function_unknown, non_agent_api/preamble.yaml::good_login_unknown_function.
UNKNOWN_FUNCTION_ANSWER = {
    "agent_api": (200, ""),
    "non_agent_api": (200, "ERROR: NO FUNCTION SPECIFIED\n"),
}


def outcome(record: dict) -> str:
    """One of OUTCOMES for the case ``record`` describes (whatever contract the run judged by)."""
    if record["status"] == "skipped":
        return "skipped"
    if record.get("reference", {}).get("matched"):
        return "passed"
    if any(verdict["matched"] for verdict in record.get("documented", [])):
        return "documented_only"
    answer = record.get("answer")
    if answer and not answer["error"] and (answer["status"], answer["body"]) == UNKNOWN_FUNCTION_ANSWER.get(record["api"]):
        return "not_implemented"
    return "failed"

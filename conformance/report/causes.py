"""A run's failures grouped by cause: cases whose failures have the same fingerprint (the same
mismatch kinds and fields, the same first difference once digits and ids are set aside) are one
group, so a proxy that drops a header on every answer is one line, not one failure per case."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cause:
    """One group: what the failures share, and the cases in it (the first is described in full)."""

    difference: str
    fingerprint: str
    also: tuple[str, ...]         # the further mismatches every case in the group has
    cases: tuple[str, ...]        # case ids, in the order the records came

    @property
    def line(self) -> str:
        more = f" (and {', '.join(self.also)})" if self.also else ""
        return f"{len(self.cases)} × {self.difference}{more}"


def failure_causes(records: list[dict]) -> list[Cause]:
    """The failed records' causes, the largest group first (then by their first difference)."""
    groups: dict[str, list[dict]] = {}
    for record in records:
        failure = record.get("failure")
        if record["status"] == "failed" and failure:
            groups.setdefault(failure["fingerprint"], []).append(record)
    causes = [Cause(members[0]["failure"]["difference"], fingerprint,
                    tuple(members[0]["failure"]["mismatches"][1:]),
                    tuple(member["id"] for member in members))
              for fingerprint, members in groups.items()]
    return sorted(causes, key=lambda cause: (-len(cause.cases), cause.difference))

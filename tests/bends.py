"""What the bent-host tests share: how a bend shows in a case's result, and a bent permission gate."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from conformance.host import permission_gate


def failed_with_body(result) -> bool:
    """The case failed on its body (a whole-text or a per-field difference), nothing else."""
    kinds = {m.kind for m in result.reference.mismatches}
    return result.status == "failed" and bool(kinds) and kinds <= {"UnexpectedBody", "WrongField"}


def bend_gate(monkeypatch, changes: Callable[[permission_gate.Gate], dict[str, Any]]) -> None:
    """The gate of every function as ``changes(gate)`` (replaced fields) makes it."""
    original = permission_gate.Gate.refuse

    def bent(self, db, function, user):
        return original(dataclasses.replace(self, **changes(self)), db, function, user)
    monkeypatch.setattr(permission_gate.Gate, "refuse", bent)

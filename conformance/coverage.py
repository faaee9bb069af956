"""The README's table of what vicicert checks, made from the specs (``python -m conformance.coverage``).

A test holds the README to this output, so the table can never claim a function the specs lack.
"""

from __future__ import annotations

from pathlib import Path

from .bundle import SPECS_DIR
from .spec import Spec, load_specs

API_NAMES = {"agent_api": "Agent", "non_agent_api": "Non-Agent"}


def coverage_table(specs: list[Spec]) -> str:
    """One Markdown row per spec: API, function, explicit and generated cases."""
    rows = ["| API | function | explicit cases | generated cases |", "| --- | --- | --- | --- |"]
    for spec in sorted(specs, key=lambda s: (s.api, s.function != "preamble", s.function)):
        name = "preamble" if spec.function == "preamble" else f"`{spec.function}`"
        generated = len(spec.generated_cases)
        rows.append(f"| {API_NAMES.get(spec.api, spec.api)} | {name} | {len(spec.cases) - generated} | {generated} |")
    generated = sum(len(spec.generated_cases) for spec in specs)
    explicit = sum(len(spec.cases) for spec in specs) - generated
    functions = sum(spec.function != "preamble" for spec in specs)
    preambles = len(specs) - functions
    rows.append(f"| all | {functions} functions, {preambles} preambles | {explicit} | {generated} |")
    return "\n".join(rows) + "\n"


def main(folder: Path = SPECS_DIR) -> None:
    print(coverage_table(load_specs(folder)), end="")


if __name__ == "__main__":
    main()

"""The README's table of what vicicert checks, made from the specs.

``python -m conformance.coverage`` prints it; ``--write README.md`` rewrites the table in place.
A test holds the README to this output, so the table can never claim a function the specs lack.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .bundle import SPECS_DIR
from .spec import Spec, load_specs

API_NAMES = {"agent_api": "Agent", "non_agent_api": "Non-Agent"}
HEADER_ROW = "| API | function | explicit cases | generated cases |"


def coverage_table(specs: list[Spec]) -> str:
    """One Markdown row per spec: API, function, explicit and generated cases."""
    rows = [HEADER_ROW, "| --- | --- | --- | --- |"]
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


def write_table(path: Path, specs: list[Spec]) -> None:
    """Replace the coverage table in the Markdown file ``path`` (from its header row to its "all" row)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(HEADER_ROW)), None)
    end = next((i for i in range(start or 0, len(lines)) if lines[i].startswith("| all |")), None)
    if start is None or end is None:
        raise ValueError(f"{path} has no coverage table (a '{HEADER_ROW}' row through an '| all |' row)")
    path.write_text("".join(lines[:start]) + coverage_table(specs) + "".join(lines[end + 1:]), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m conformance.coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, metavar="README", help="rewrite the table in this Markdown file")
    parser.add_argument("--specs", type=Path, default=SPECS_DIR, help="the spec folder (default: the bundled one)")
    args = parser.parse_args(argv)
    specs = load_specs(args.specs)
    if args.write:
        write_table(args.write, specs)
    else:
        print(coverage_table(specs), end="")


if __name__ == "__main__":
    main()

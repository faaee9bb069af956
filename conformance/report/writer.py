"""Write the JSON and HTML reports from case records (plain data, already redacted)."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from pathlib import Path

import jinja2

from ..expectations import GATE_OUTCOMES, gate_counts, gate_outcome, gated
from ..matcher import visible
from .causes import failure_causes
from .record import ordered


def write_reports(records: list[dict], target: str, contract: str, folder: Path,
                  database: dict | None = None) -> dict[str, Path]:
    """report.json and report.html in ``folder`` (``target`` already masked; ``database``, in SQL
    fixture mode, what the run left in the target's database, already redacted); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    records = ordered(records)
    totals = Counter(record["status"] for record in records)
    document = {
        "vicicert": "report/1",
        "generated_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "target": target,
        "contract": contract,
        "totals": {"passed": totals["passed"], "failed": totals["failed"], "skipped": totals["skipped"],
                   "cases": len(records)},
        "cases": records,
    }
    # In a run with an expectation file each case has one outcome, as the terminal counts them.
    outcomes = gate_counts(records)
    if gated(records):
        document["outcomes"] = {name: outcomes[name] for name in GATE_OUTCOMES}
    if database is not None:
        document["database"] = database
    paths = {"json": folder / "report.json", "html": folder / "report.html"}
    paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    environment.filters["visible"] = visible
    environment.filters["outcome"] = gate_outcome
    functions: dict[str, Counter] = {}
    for record in records:
        functions.setdefault(f"{record['api']}::{record['function']}", Counter())[record["status"]] += 1
    shown = GATE_OUTCOMES if gated(records) else ("failed", "skipped", "passed")
    html = environment.get_template("report.html.j2").render(
        report=document, functions=dict(sorted(functions.items())),
        outcomes=[(name, outcomes[name]) for name in shown], causes=failure_causes(records))
    paths["html"].write_text(html, encoding="utf-8")
    return paths

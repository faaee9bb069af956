"""Write the JSON and HTML reports from case results; every text passes the redactor."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from pathlib import Path

import jinja2

from ..execution import CaseResult, Verdict
from ..failure import other_texts
from ..matcher import visible


def result_record(result: CaseResult) -> dict:
    """One case as plain data, secrets masked."""
    redact, case, exchange = result.redact, result.case, result.exchange
    record = {
        "id": case.id, "api": case.api, "function": case.function, "name": case.name,
        "why": case.why, "generated": case.generated, "spec": f"{case.path}:{case.line}",
        "status": result.status, "skip_reason": redact(result.skip_reason),
        "matched": result.matched_sources, "drift": case.drifts,
    }
    if exchange is not None:
        record["request"] = redact(exchange.url)
        record["curl"] = exchange.curl(redact)
        record["answer"] = {"status": exchange.status, "elapsed_ms": round(exchange.elapsed * 1000, 3),
                            "bytes": len(exchange.body), "body": redact(exchange.text), "error": exchange.error}
    if result.reference is not None:
        record["reference"] = _verdict_record(result.reference, result)
        record["documented"] = [_verdict_record(v, result) for v in result.documented] if case.drifts else []
        record["texts"] = [redact(line) for line in other_texts(result)]
    return record


def _verdict_record(verdict: Verdict, result: CaseResult) -> dict:
    redact = result.redact
    return {
        "source": verdict.outcome.source, "label": verdict.outcome.label, "note": verdict.outcome.note,
        "matched": verdict.matched, "expected": redact(verdict.expected_text),
        "mismatches": [{"kind": m.kind, "field": m.field, "expected": redact(m.expected),
                        "actual": redact(m.actual), "detail": redact(m.detail)} for m in verdict.mismatches],
    }


def write_reports(results: list[CaseResult], settings, folder: Path) -> dict[str, Path]:
    """report.json and report.html in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    redact = results[0].redact if results else (lambda text: text)
    records = [result_record(result) for result in results]
    totals = Counter(record["status"] for record in records)
    document = {
        "vicicert": "report/1",
        "generated_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "target": redact(settings.target or "embedded reference host"),
        "contract": settings.contract,
        "totals": {"passed": totals["passed"], "failed": totals["failed"], "skipped": totals["skipped"],
                   "cases": len(records)},
        "cases": records,
    }
    paths = {"json": folder / "report.json", "html": folder / "report.html"}
    paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    environment.filters["visible"] = visible
    functions: dict[str, list[dict]] = {}
    for record in records:
        functions.setdefault(f"{record['api']}::{record['function']}", []).append(record)
    html = environment.get_template("report.html.j2").render(report=document, functions=functions)
    paths["html"].write_text(html, encoding="utf-8")
    return paths

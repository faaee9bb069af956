"""Service-level objectives that decide a load run's exit code."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Slo:
    """Thresholds; None means not checked."""

    p95_ms: float | None = None
    p99_ms: float | None = None
    max_error_ratio: float | None = 0.0
    min_rps: float | None = None

    def breaches(self, summary: dict) -> list[str]:
        """What the run broke, each in words with the measured value."""
        found = []
        for key in ("p95_ms", "p99_ms"):
            limit, measured = getattr(self, key), summary.get(key)
            if limit is not None and measured is not None and measured > limit:
                found.append(f"{key[:3]} {measured:.1f} ms is above {limit:g} ms")
        errors, rps = summary.get("error_ratio"), summary.get("rps")
        if summary.get("requests") == 0:   # its error ratio is 1 by definition; say what happened
            found.append("no request was answered within the run")
        elif self.max_error_ratio is not None and errors is not None and errors > self.max_error_ratio:
            found.append(f"error ratio {errors:.4f} is above {self.max_error_ratio:g}")
        if self.min_rps is not None and rps is not None and rps < self.min_rps:
            found.append(f"throughput {rps:.1f} requests/s is below {self.min_rps:g}")
        if summary.get("unanswered") and not summary.get("count"):
            found.append(f"no answer within the run: {summary['unanswered']} still awaited when it stopped, the "
                         f"longest after {summary['longest_unanswered_s']:.0f} s")
        return found

    def as_dict(self) -> dict:
        return asdict(self)

    def mid_run_breach(self, figures: dict) -> str | None:
        """The breach seen in a run's progress so far (requests, failures, p95 of the run or stage),
        in words, or None: the error ratio at once, p95 once ``SMALL_SAMPLE`` answers back it. p99
        and the rate are judged on the finished run only (the progress carries no p99, and a
        rate is low while users still start)."""
        requests, failures = figures.get("requests") or 0, figures.get("failures") or 0
        if self.max_error_ratio is not None and requests and failures / requests > self.max_error_ratio:
            return (f"error ratio {failures / requests:.4f} is above {self.max_error_ratio:g} "
                    f"({failures} of {requests} failed)")
        p95 = figures.get("p95_ms")
        if self.p95_ms is not None and p95 is not None and requests >= SMALL_SAMPLE and p95 > self.p95_ms:
            return f"p95 {p95:.1f} ms is above {self.p95_ms:g} ms (after {requests} answers)"
        return None

    def described(self) -> str:
        """The thresholds set, in words ("p95 <= 50 ms, error ratio <= 0"), or that none is."""
        words = [f"{THRESHOLD_NAMES[key]} {'>=' if key == 'min_rps' else '<='} {limit:g}{THRESHOLD_UNITS[key]}"
                 for key, limit in self.as_dict().items() if limit is not None]
        return ", ".join(words) or "none"

    def thresholds(self, summary: dict) -> list[dict]:
        """Each threshold set, as k6 shows them: its limit, the measured value, held or not, and a line
        (``✓ p95 <= 50 ms: 12.31 ms``). A percentile drawn from fewer than ``SMALL_SAMPLE`` answers says
        so; a value not measured (no answer at all) does not hold."""
        rows, answered = [], summary["requests"] if "requests" in summary else summary.get("count")
        for key, limit in self.as_dict().items():
            if limit is None:
                continue
            measured = summary.get(MEASURED[key])
            held = measured is not None and (measured >= limit if key == "min_rps" else measured <= limit)
            if key == "max_error_ratio" and not answered:
                held = False   # no request answered: the ratio of nothing holds nothing
            shown = "not measured" if measured is None else f"{measured:.{DIGITS[key]}f}{THRESHOLD_UNITS[key]}"
            if key == "max_error_ratio" and answered:
                shown += f" ({summary.get('failures') or 0} of {answered} failed)"
            sample = summary.get("count")
            if key in ("p95_ms", "p99_ms") and sample is not None and 0 < sample < SMALL_SAMPLE:
                shown += f" (from {sample} answers: fewer than {SMALL_SAMPLE}, a rough {THRESHOLD_NAMES[key]})"
            condition = f"{THRESHOLD_NAMES[key]} {'>=' if key == 'min_rps' else '<='} {limit:g}{THRESHOLD_UNITS[key]}"
            rows.append({"threshold": key, "limit": limit, "measured": measured, "held": held,
                         "line": f"{'✓' if held else '✗'} {condition}: {shown}"})
        return rows

    def judge(self, summary: dict) -> list[str]:
        """Write the thresholds, each one's verdict and the breaches into ``summary``; the breaches."""
        summary["slo"], summary["slo_breaches"] = self.as_dict(), self.breaches(summary)
        summary["thresholds"] = self.thresholds(summary)
        return summary["slo_breaches"]

    @classmethod
    def from_environment(cls) -> "Slo":
        """The thresholds the runner hands a Locust profile (VICICERT_SLO, JSON)."""
        return cls(**json.loads(os.environ.get("VICICERT_SLO", "{}")))

    @classmethod
    def from_file(cls, path: Path, defaults: "Slo | None" = None) -> "Slo":
        """Thresholds from a YAML (or JSON) mapping; keys it leaves out keep ``defaults``. A wrong
        key or value is a SourceFileError naming the file, the line and the fix."""
        from conformance.errors import SourceFileError
        from conformance.yamlfile import KIB, LinedDict, load_yaml

        path = Path(path)
        data = load_yaml(path, max_bytes=64 * KIB, what="an SLO file")
        data = LinedDict() if data is None else data  # an empty file keeps every default
        example = "see loadtests/slo-example.yaml"
        if not isinstance(data, dict):
            raise SourceFileError(path, getattr(data, "line", None) or 1, "an SLO file is a mapping of thresholds",
                                  f"write one 'key: number' per line ({example})")
        allowed = sorted(asdict(cls()))
        for key, value in data.items():
            line = data.line_of(key) if isinstance(data, LinedDict) else None
            if key not in allowed:
                raise SourceFileError(path, line, f"unknown SLO key {key!r}", f"use one of {', '.join(allowed)}")
            if wrong := problem(key, value):
                raise SourceFileError(path, line, wrong, f"for example '{key}: {EXAMPLES[key]}', or null")
        return cls(**{**asdict(defaults or cls()), **data})


SMALL_SAMPLE = 100   # answers below which a percentile is flagged as rough
THRESHOLD_NAMES = {"p95_ms": "p95", "p99_ms": "p99", "max_error_ratio": "error ratio", "min_rps": "requests/s"}
THRESHOLD_UNITS = {"p95_ms": " ms", "p99_ms": " ms", "max_error_ratio": "", "min_rps": ""}
MEASURED = {"p95_ms": "p95_ms", "p99_ms": "p99_ms", "max_error_ratio": "error_ratio", "min_rps": "rps"}
DIGITS = {"p95_ms": 2, "p99_ms": 2, "max_error_ratio": 4, "min_rps": 1}
UNITS = {"p95_ms": "milliseconds", "p99_ms": "milliseconds", "max_error_ratio": "a share from 0 to 1",
         "min_rps": "requests per second"}
EXAMPLES = {"p95_ms": "100", "p99_ms": "250", "max_error_ratio": "0.001", "min_rps": "200"}


def problem(key: str, value) -> str | None:
    """What is wrong with a threshold's value, or None (None itself means not checked)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 \
            or (key == "max_error_ratio" and value > 1):
        return f"{key} is {UNITS[key]}, not {value!r}"
    return None


def print_thresholds(thresholds: list[dict], indent: str = "") -> None:
    """The SLOs as k6 shows its thresholds: each with ✓ or ✗, its limit and the measured value."""
    print(f"{indent}thresholds (SLOs): " + ("none set" if not thresholds else
                                            f"{sum(row['held'] for row in thresholds)} of {len(thresholds)} held"))
    for row in thresholds:
        print(f"{indent}  {row['line']}")

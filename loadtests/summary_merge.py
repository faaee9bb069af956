"""The summaries of several Locust processes (workers) as one: latency histograms merged exactly,
counts, failures and signals added, timelines second by second, and the SLOs judged again."""

from __future__ import annotations

import itertools

from .slo import Slo


def merge_summaries(parts: list[dict], slo: Slo) -> dict:
    """Worker summaries as one: histograms merged exactly, counts and signals added, SLOs judged again;
    stage by stage too."""
    merged = _merge_counts(parts)
    signals: dict[str, str] = {}
    unanswered: dict[str, list[str]] = {}
    for part in parts:
        signals.update(part["last_signal"])
        for agent, values in part.get("unanswered", {}).items():
            unanswered.setdefault(agent, []).extend(values)
    merged.update({"last_signal": signals, "unanswered": unanswered, "agents_driven": len(signals), "workers": len(parts),
                   "verified": all(part["verified"] for part in parts)})
    stages = []
    for index in range(max(len(part["stages"]) for part in parts)):
        pieces = [part["stages"][index] for part in parts if index < len(part["stages"])]
        stage = _merge_counts(pieces)
        stage.update({key: pieces[0][key] for key in ("index", "users", "rate", "planned_seconds")})
        stage["duration_s"] = max(piece["duration_s"] for piece in pieces)
        stage["timeline"] = _merge_timelines([piece["timeline"] for piece in pieces])
        # The busiest generator process is the one that limits: its CPU, not an average over processes.
        means = [piece["cpu_mean"] for piece in pieces if piece.get("cpu_mean") is not None]
        stage["cpu_mean"] = max(means) if means else None
        stage["cpu_max"] = max((piece["cpu_max"] for piece in pieces if piece.get("cpu_max") is not None),
                               default=None)
        stage["slo_breaches"] = slo.breaches(stage)
        stages.append(stage)
    merged["stages"] = stages
    cpu = [part["generator_cpu"] for part in parts]
    merged["generator_cpu"] = {key: max((c[key] for c in cpu if c.get(key) is not None), default=None)
                               for key in ("mean", "max")}
    slo.judge(merged)
    return merged


def _merge_counts(parts: list[dict]) -> dict:
    """Latency (histograms merged exactly), requests, failures by kind, rates and examples of several processes."""
    from .latency import LatencyRecorder

    recorder = LatencyRecorder.merged([part["histogram"] for part in parts])
    merged = recorder.summary()
    requests, failures = sum(part["requests"] for part in parts), sum(part["failures"] for part in parts)
    kinds: dict[str, int] = {}
    for part in parts:
        for kind, count in part["failures_by_kind"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    merged.update({"requests": requests, "failures": failures, "error_ratio": failures / requests if requests else 1.0,
                   "rps": sum(part["rps"] for part in parts), "failures_by_kind": kinds,
                   "examples": [example for part in parts for example in part.get("examples", [])][:20],
                   "send_span_s": max((part.get("send_span_s") or 0.0 for part in parts), default=None),
                   "histogram": recorder.encoded()})
    return merged


def _merge_timelines(timelines: list[list[dict]]) -> list[dict]:
    """Second by second: requests and failures added; each percentile the highest of the processes'
    (an upper bound of the merged one, as for progress), CPU the busiest process's."""
    merged = []
    for points in itertools.zip_longest(*timelines):
        points = [point for point in points if point is not None]
        def highest(key):
            return max((point[key] for point in points if point[key] is not None), default=None)
        merged.append({"t": max(point["t"] for point in points), "requests": sum(p["requests"] for p in points),
                       "failures": sum(p["failures"] for p in points), "p50_ms": highest("p50_ms"),
                       "p95_ms": highest("p95_ms"), "p99_ms": highest("p99_ms"), "cpu_percent": highest("cpu_percent")})
    return merged

"""Service-level objectives that decide a load run's exit code."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
        if self.max_error_ratio is not None and errors is not None and errors > self.max_error_ratio:
            found.append(f"error ratio {errors:.4f} is above {self.max_error_ratio:g}")
        if self.min_rps is not None and rps is not None and rps < self.min_rps:
            found.append(f"throughput {rps:.1f} requests/s is below {self.min_rps:g}")
        return found

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_file(cls, path, defaults: "Slo | None" = None) -> "Slo":
        """Thresholds from a YAML (or JSON) mapping; keys it leaves out keep ``defaults``."""
        import yaml

        from conformance.errors import UsageError
        data = yaml.safe_load(open(path, encoding="utf-8")) or {}
        allowed = set(asdict(cls()))
        unknown = sorted(set(data) - allowed) if isinstance(data, dict) else ["(not a mapping)"]
        if unknown:
            raise UsageError(f"{path}: unknown SLO keys {', '.join(unknown)}; use {', '.join(sorted(allowed))}")
        return cls(**{**asdict(defaults or cls()), **data})

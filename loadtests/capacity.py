"""The capacity report: what load the target holds within its SLOs, where its throughput stops rising, and why.

The headline a planner acts on is the highest stage that holds every SLO (with none below it
breaking) and the saturation point: the stage after which the rate of correct answers rose by
less than ``SATURATION_MARGIN`` (it may come before any SLO breaks; failed answers are no
capacity, however fast they come: an overloaded upstream answers empty 500s quickly). The
page carries the target's build (its ``version`` answer), the run's settings, a table row
per stage, and plots drawn
with matplotlib (Agg, no display; every axis from zero, unless loads span orders of magnitude,
when that axis alone is logarithmic and says so): latency and throughput against load, and
latency, rate and the load generator's CPU over time within each stage. A stage whose
generator process averaged ``GENERATOR_CPU_LIMIT`` % of a core or more is named in a warning:
its figures may be the generator's limit, not the target's. Each stage's failures are listed by
kind, and a kind with a known likely cause (an empty 500, a connection closed without an answer)
says it under the table.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .server_failures import likely_causes
from .slo import SMALL_SAMPLE, Slo

SATURATION_MARGIN = 0.05     # throughput rising by less than this share is no longer rising
GENERATOR_CPU_LIMIT = 90.0   # percent of one core (Locust's own warning starts there too)


def knee(stages: list[dict], slo: Slo) -> dict | None:
    """The first stage whose summary breaks an SLO, with the breaches."""
    for stage in stages:
        breaches = slo.breaches(stage["summary"])
        if breaches:
            return {"load": stage["load"], "breaches": breaches}
    return None


def correct_rps(summary: dict) -> float:
    """Correct answers per second: the stage's (or export window's) rate less its failed share."""
    requests, rps = summary.get("requests") or summary.get("count") or 0, summary.get("rps") or 0.0
    return rps * (requests - (summary.get("failures") or 0)) / requests if requests else 0.0


def saturation(stages: list[dict], margin: float = SATURATION_MARGIN) -> dict | None:
    """The stage after which correct answers per second rose by less than ``margin`` (its share),
    or None while they kept rising."""
    for before, after in zip(stages, stages[1:]):
        low, high = correct_rps(before["summary"]), correct_rps(after["summary"])
        if high < low * (1 + margin):
            return {"load": before["load"], "label": _label(before), "rps": low, "next_rps": high,
                    "next_label": _label(after)}
    return None


def generator_limited(stages: list[dict], limit: float = GENERATOR_CPU_LIMIT) -> list[dict]:
    """Stages whose load generator averaged ``limit`` % of a core or more."""
    return [stage for stage in stages if (stage["summary"].get("cpu_mean") or 0.0) >= limit]


def verdict(stages: list[dict], slo: Slo, with_saturation: bool = True) -> dict:
    """The planner's reading of the stages: the knee, the highest stage holding every SLO, the
    saturation point, a headline in words, and a warning when the generator was the limit."""
    found = knee(stages, slo)
    broken = next((i for i, stage in enumerate(stages) if slo.breaches(stage["summary"])), len(stages))
    holding = stages[:broken]
    if found:
        found["label"] = _label(stages[broken])
    highest = holding[-1] if holding else None
    saturated = saturation(stages) if with_saturation else None
    words = []
    if len(stages) == 1:   # a single run: held or not at its one load, nothing about limits beyond it
        one = stages[0]
        words.append(f"holds the SLOs set ({slo.described()}) at {_label(one)} ({_figures(one['summary'])})"
                     if found is None else f"breaks the SLOs set ({slo.described()}) at {_label(one)} "
                                           f"({'; '.join(found['breaches'])})")
    elif highest is None:
        words.append(f"no stage held the SLOs set ({slo.described()}): the first, {found['label']}, broke them "
                     f"({'; '.join(found['breaches'])})")
    else:
        figures = _figures(highest["summary"])
        words.append(f"holds the SLOs set ({slo.described()}) up to {_label(highest)} ({figures})")
        if found:
            words.append(f"{found['label']} broke them ({'; '.join(found['breaches'])})")
        else:
            words.append("no stage broke an SLO, so the limit is above the highest stage tested")
    if saturated:
        words.append(f"throughput stops rising at {saturated['label']} ({saturated['rps']:,.1f} correct answers/s; "
                     f"{saturated['next_label']} gave {saturated['next_rps']:,.1f}/s, less than "
                     f"{SATURATION_MARGIN:.0%} more)")
        if saturated["load"] == stages[0]["load"]:
            words.append(f"{saturated['label']} is the lowest stage tested, so saturation may come earlier: "
                         "test lower stages")
    elif with_saturation and len(stages) > 1:
        words.append("throughput still rose at the last stage: not saturated")
    if slo.p95_ms is None and slo.p99_ms is None:
        words.append("no latency SLO given (--p95-ms, --p99-ms), so no latency limit is judged")
    limited = generator_limited(stages)
    warning = None
    if limited:
        named = ", ".join(f"{_label(stage)} ({stage['summary']['cpu_mean']:.0f}% of a core)" for stage in limited)
        warning = (f"the load generator's own CPU was near saturation in {named}: latency and throughput there may "
                   "be the generator's limit, not the target's; do not plan from them (add --workers)")
    return {"knee": found, "highest": {"load": highest["load"], "label": _label(highest)} if highest else None,
            "saturation": saturated, "headline": "; ".join(words), "generator_warning": warning}


def _label(stage: dict) -> str:
    return stage.get("label") or str(stage["load"])


def _figures(summary: dict) -> str:
    parts = [f"{summary.get('rps') or 0:,.1f} requests/s"]
    sample = summary.get("count")
    for key in ("p95_ms", "p99_ms"):
        if summary.get(key) is not None:
            rough = f" from {sample} answers, a rough {key[:3]}" if sample is not None and sample < SMALL_SAMPLE else ""
            parts.append(f"{key[:3]} {summary[key]:.1f} ms{rough}")
    return ", ".join(parts)


def _axes_from_zero(axes, loads: list[float], load_label: str) -> None:
    """Both axes from zero; loads spanning orders of magnitude (10k to 10M rows) on a log x axis, said in its label."""
    if loads and min(loads) > 0 and max(loads) / min(loads) >= 100:
        axes.set_xscale("log")
        axes.set_xlabel(f"{load_label} (log scale)")
    else:
        axes.set_xlim(left=0, right=max(loads) * 1.05 if loads else None)
        axes.set_xlabel(load_label)
    axes.set_ylim(bottom=0)


def _timeline_plot(stages: list[dict], pyplot, title: str, path: Path) -> bool:
    """Latency (p50, p95, p99), requests per second and the generator's CPU, second by second, stage after stage."""
    offset, times, p50, p95, p99, rates, cpu, bounds = 0.0, [], [], [], [], [], [], []
    for stage in stages:
        timeline = stage["summary"].get("timeline") or []
        bounds.append((offset, _label(stage)))
        previous = 0.0
        for point in timeline:
            times.append(offset + point["t"])
            p50.append(point["p50_ms"])
            p95.append(point["p95_ms"])
            p99.append(point["p99_ms"])
            rates.append(point["requests"] / max(point["t"] - previous, 1e-9))
            cpu.append(point.get("cpu_percent"))
            previous = point["t"]
        offset += stage["summary"].get("duration_s") or (timeline[-1]["t"] if timeline else 0.0)
    if not times:
        return False
    figure, (top, bottom) = pyplot.subplots(2, 1, figsize=(8, 6), sharex=True)
    for values, name in ((p50, "p50"), (p95, "p95"), (p99, "p99")):
        top.plot(times, [value if value is not None else float("nan") for value in values], label=name)
    top.set_ylabel("latency in the second (ms)")
    top.set_title(f"{title}: over time, stage by stage")
    top.legend(loc="upper left")
    bottom.plot(times, rates, color="green", label="requests/s")
    bottom.set_ylabel("requests per second")
    twin = bottom.twinx()
    twin.plot(times, [value if value is not None else float("nan") for value in cpu], color="grey",
              linestyle="--", label="generator CPU %")
    twin.axhline(GENERATOR_CPU_LIMIT, color="red", linewidth=0.8, linestyle=":")
    twin.set_ylim(0, max(110, max((value or 0) for value in cpu) * 1.1))
    twin.set_ylabel("generator CPU (% of a core)")
    for axes in (top, bottom):
        axes.set_ylim(bottom=0)
        axes.set_xlim(left=0, right=offset)
        for start, label in bounds:
            axes.axvline(start, color="black", linewidth=0.6, linestyle=":")
    for start, label in bounds:
        top.annotate(label, (start, 0), xytext=(3, 3), textcoords="offset points", fontsize=7)
    bottom.set_xlabel("seconds into the run")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return True


def write_capacity_report(title: str, load_label: str, stages: list[dict], slo: Slo, folder: Path,
                          settings: dict | None = None, build: str | None = None, with_saturation: bool = True,
                          run_slo: dict | None = None) -> Path:
    """``capacity.html`` with its plots; ``stages`` are {"load": number, "label": words (optional),
    "summary": {...}} in rising order. ``run_slo``: thresholds judged on the whole run rather than per stage."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    folder.mkdir(parents=True, exist_ok=True)
    stages = [dict(stage, breaches=slo.breaches(stage["summary"])) for stage in stages]
    loads = [stage["load"] for stage in stages]
    reading = verdict(stages, slo, with_saturation)
    found = reading["knee"]
    plots = []
    figure, axes = pyplot.subplots(figsize=(7, 4))
    for key, label in (("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99"), ("p99.9_ms", "p99.9")):
        axes.plot(loads, [stage["summary"].get(key) or 0 for stage in stages], marker="o", label=label)
    for limit, name in ((slo.p95_ms, "p95 SLO"), (slo.p99_ms, "p99 SLO")):
        if limit is not None:
            axes.axhline(limit, linestyle="--", linewidth=1, color="grey")
            axes.annotate(name, (loads[0], limit), fontsize=8)
    if found:
        axes.axvline(found["load"], color="red", linewidth=1)
    _axes_from_zero(axes, loads, load_label)
    axes.set_ylabel("latency, full body (ms)")
    axes.set_title(f"{title}: latency")
    axes.legend()
    figure.tight_layout()
    figure.savefig(folder / "latency.png", dpi=110)
    pyplot.close(figure)
    plots.append("latency.png")
    if any(stage["summary"].get("rps") for stage in stages):
        figure, axes = pyplot.subplots(figsize=(7, 4))
        axes.plot(loads, [stage["summary"].get("rps", 0) for stage in stages], marker="o", color="gray",
                  label="every answer")
        axes.plot(loads, [correct_rps(stage["summary"]) for stage in stages], marker="o", color="green",
                  label="correct answers")
        if reading["saturation"]:
            axes.axvline(reading["saturation"]["load"], color="orange", linewidth=1)
        _axes_from_zero(axes, loads, load_label)
        axes.set_ylabel("answers per second (each one checked)")
        axes.legend()
        axes.set_title(f"{title}: throughput")
        figure.tight_layout()
        figure.savefig(folder / "throughput.png", dpi=110)
        pyplot.close(figure)
        plots.append("throughput.png")
    if _timeline_plot(stages, pyplot, title, folder / "timeline.png"):
        plots.append("timeline.png")
    environment = jinja2.Environment(loader=jinja2.PackageLoader("loadtests", "templates"),
                                     autoescape=jinja2.select_autoescape(["html", "j2"]))
    environment.filters["correct_rps"] = correct_rps
    thresholds = {key: value for key, value in slo.as_dict().items() if value is not None}
    kinds = dict.fromkeys(kind for stage in stages for kind in stage["summary"].get("failures_by_kind") or {})
    page = environment.get_template("capacity.html.j2").render(
        title=title, load_label=load_label, stages=stages, slo=thresholds, run_slo=run_slo or {}, knee=found,
        reading=reading, plots=plots, settings=settings or {}, build=build, cpu_limit=GENERATOR_CPU_LIMIT,
        causes=likely_causes(kinds))
    path = folder / "capacity.html"
    path.write_text(page, encoding="utf-8")
    return path

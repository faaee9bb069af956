"""The capacity report: latency and throughput against load, and where an SLO first breaks (the knee).

Plots are drawn with matplotlib (Agg, no display) into PNG files beside the HTML page,
which jinja2 renders.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .slo import Slo


def knee(stages: list[dict], slo: Slo) -> dict | None:
    """The first stage whose summary breaks an SLO, with the breaches."""
    for stage in stages:
        breaches = slo.breaches(stage["summary"])
        if breaches:
            return {"load": stage["load"], "breaches": breaches}
    return None


def _scale(axes, loads: list[float]) -> None:
    """Loads spanning orders of magnitude (10k to 10M rows) on a log axis, so none is a dot at 0."""
    if loads and min(loads) > 0 and max(loads) / min(loads) >= 100:
        axes.set_xscale("log")
        axes.set_yscale("log")


def write_capacity_report(title: str, load_label: str, stages: list[dict], slo: Slo, folder: Path) -> Path:
    """``capacity.html`` with its plots; ``stages`` are {"load": number, "summary": {...}} in rising order."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    folder.mkdir(parents=True, exist_ok=True)
    loads = [stage["load"] for stage in stages]
    found = knee(stages, slo)
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
    _scale(axes, loads)
    axes.set_xlabel(load_label)
    axes.set_ylabel("latency, full body (ms)")
    axes.set_title(f"{title}: latency")
    axes.legend()
    figure.tight_layout()
    figure.savefig(folder / "latency.png", dpi=110)
    pyplot.close(figure)
    plots.append("latency.png")
    if any(stage["summary"].get("rps") for stage in stages):
        figure, axes = pyplot.subplots(figsize=(7, 4))
        axes.plot(loads, [stage["summary"].get("rps", 0) for stage in stages], marker="o", color="green")
        _scale(axes, loads)
        axes.set_xlabel(load_label)
        axes.set_ylabel("verified requests per second")
        axes.set_title(f"{title}: throughput")
        figure.tight_layout()
        figure.savefig(folder / "throughput.png", dpi=110)
        pyplot.close(figure)
        plots.append("throughput.png")
    environment = jinja2.Environment(loader=jinja2.PackageLoader("loadtests", "templates"),
                                     autoescape=jinja2.select_autoescape(["html", "j2"]))
    page = environment.get_template("capacity.html.j2").render(
        title=title, load_label=load_label, stages=stages, slo=slo.as_dict(), knee=found, plots=plots)
    path = folder / "capacity.html"
    path.write_text(page, encoding="utf-8")
    return path

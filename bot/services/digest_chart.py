"""The weekly trend chart as a PNG (matplotlib's Agg canvas: no display, no pyplot state)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from bot.core.texts import t
from bot.services.report_tree import pct


@dataclass(frozen=True, slots=True)
class Point:
    """One week of the trend, in whole percent (None: nothing to divide by)."""

    monday: date
    reported: int | None
    compliant: int | None


def trend_points(
    trend: Mapping[date, Mapping[int, tuple[int, int]]],
    *,
    units: Collection[int],
    people: int,
    mondays: Sequence[date],
    visible: Callable[[date, int], bool],
) -> list[Point]:
    """Sum the per-unit weekly counts of `units` (current head count as denominator).

    A week's compliance is left out (a gap) unless `visible(monday, reported)` allows it.
    """
    points = []
    for monday in mondays:
        week = trend.get(monday, {})
        reported = compliant = 0
        for unit_id in units:
            if unit_id in week:
                reported += week[unit_id][0]
                compliant += week[unit_id][1]
        shown = visible(monday, reported)
        points.append(
            Point(monday, pct(reported, people), pct(compliant, reported) if shown else None)
        )
    return points


def chart_png(points: Sequence[Point], *, unit: str) -> bytes:
    """Two lines over the weeks: share who reported, share compliant among them."""
    # Imported here: matplotlib takes a while to load and most commands never draw.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x = list(range(len(points)))
    size = 5 if len(points) <= 20 else 3
    reported = [_nan(p.reported) for p in points]
    compliant = [_nan(p.compliant) for p in points]
    axes.plot(x, reported, marker="o", markersize=size, label=t("chart.reported"))
    axes.plot(x, compliant, marker="s", markersize=size, label=t("chart.compliant"))
    step = max(1, -(-len(points) // 8))  # at most 8 date labels
    axes.set_xticks(x[::step], [f"{p.monday:%d/%m}" for p in points[::step]])
    axes.set_ylim(0, 105)
    axes.set_ylabel(t("chart.axis"))
    axes.set_title(t("chart.title", unit=unit), fontsize=11)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize=8)
    figure.tight_layout()
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _nan(value: int | None) -> float:
    """Matplotlib leaves a gap for NaN."""
    return float("nan") if value is None else float(value)

"""The dashboard's weekly chart as a small hand-built SVG (no script, no inline style).

Sized for a 360-pixel phone screen: two lines (participation, compliance among those who
reported), at most 7 date labels, the year under the first label and wherever it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.core.texts import t
from bot.services.digest_chart import Point

WIDTH, HEIGHT = 360, 230
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 40, 186  # plot area
COLOURS = ("#0b5394", "#e69138")
MAX_LABELS = 7


def chart_svg(points: Sequence[Point], *, unit: str) -> str:
    """An <svg> element to embed in the page (text escaped)."""
    title = t("chart.title", unit=unit)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for value in (0, 25, 50, 75, 100):
        y = _y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#dddddd"/>'
            f'<text x="{LEFT - 4}" y="{y + 4}" text-anchor="end" font-size="11">{value}%</text>'
        )
    step = max(1, -(-len(points) // MAX_LABELS))
    year = None
    for index, point in enumerate(points):
        if index % step:
            continue
        x = _x(index, len(points))
        parts.append(
            f'<text x="{x}" y="{BOTTOM + 16}" text-anchor="middle" font-size="11">'
            f"{point.monday:%d/%m}</text>"
        )
        if point.monday.year != year:
            year = point.monday.year
            parts.append(
                f'<text x="{x}" y="{BOTTOM + 30}" text-anchor="middle" font-size="11" '
                f'font-weight="bold">{year}</text>'
            )
    names = (t("chart.reported"), t("dashboard.chart_compliant"))
    for series, (colour, name) in enumerate(zip(COLOURS, names, strict=True)):
        values = [p.reported if series == 0 else p.compliant for p in points]
        parts.extend(_series(values, colour, dashed=series == 1))
        lx = 8 + series * 150
        parts.append(
            f'<line x1="{lx}" y1="14" x2="{lx + 18}" y2="14" stroke="{colour}" stroke-width="3"'
            + (' stroke-dasharray="5 3"' if series else "")
            + f'/><text x="{lx + 22}" y="18" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _x(index: int, count: int) -> float:
    if count <= 1:
        return (LEFT + WIDTH - RIGHT) / 2
    return round(LEFT + 10 + index * (WIDTH - RIGHT - LEFT - 20) / (count - 1), 1)


def _y(value: float) -> float:
    return round(BOTTOM - value * (BOTTOM - TOP) / 100, 1)


def _series(values: Sequence[int | None], colour: str, *, dashed: bool) -> list[str]:
    """Polylines between known values (gaps stay gaps) and a dot on each known value."""
    parts: list[str] = []
    run: list[str] = []
    dash = ' stroke-dasharray="5 3"' if dashed else ""

    def flush() -> None:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        run.clear()

    for index, value in enumerate(values):
        if value is None:
            flush()
            continue
        x, y = _x(index, len(values)), _y(value)
        run.append(f"{x},{y}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>{value}%</title></circle>'
        )
    flush()
    return parts

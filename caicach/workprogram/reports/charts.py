"""The KPI trend chart, drawn on the server as inline SVG (no JavaScript, prints as is):
per month, bars for the items due, submitted and issued, and a line for the running share
submitted since January. This module only computes the geometry; the template
``workprogram/reports/_kpi_chart.html`` writes the SVG elements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from caicach.workprogram.reports.kpis import MonthFigures, cumulative

WIDTH = 760
HEIGHT = 300
LEFT = 44  # room for the count axis
RIGHT = 48  # room for the per-cent axis
TOP = 16
BOTTOM = 40  # room for the month labels
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
SERIES = (("due", "chart-due"), ("submitted", "chart-submitted"), ("issued", "chart-issued"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    value: int
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_axis_x: int
    baseline: float
    top: int
    bars: list[Bar]
    ticks: list[Tick]
    percent_ticks: list[Tick]
    month_labels: list[Point]
    line: str  # the polyline's points
    points: list[Point]


def nice_ceiling(value: int) -> int:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least ``value`` (and 5 for an
    empty chart)."""
    if value <= 5:
        return 5
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def trend_chart(months: Sequence[MonthFigures], labels: dict[str, str]) -> Chart:
    """``labels`` names the series for the bars' tooltips ({"due": "Phải trình", ...,
    "running": "Tỷ lệ đã trình lũy kế"})."""
    top_value = nice_ceiling(max((m.due for m in months), default=0))
    baseline = TOP + PLOT_HEIGHT
    slot = PLOT_WIDTH / max(len(months), 1)
    bar_width = slot * 0.22
    gap = slot * 0.04
    group_width = 3 * bar_width + 2 * gap
    bars: list[Bar] = []
    month_labels: list[Point] = []
    points: list[Point] = []
    running = cumulative(months)
    for index, month in enumerate(months):
        start = LEFT + index * slot + (slot - group_width) / 2
        centre = LEFT + index * slot + slot / 2
        name = f"{month.month.month}/{month.month.year}"
        for offset, (field, css) in enumerate(SERIES):
            value = int(getattr(month, field))
            height = PLOT_HEIGHT * value / top_value
            bars.append(
                Bar(
                    x=round(start + offset * (bar_width + gap), 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    css=css,
                    value=value,
                    title=f"{labels[field]} {name}: {value}",
                )
            )
        month_labels.append(Point(x=round(centre, 1), y=baseline + 18, title=f"T{month.month.month}"))
        share = running[index].submitted_percent
        if share is not None:
            points.append(
                Point(
                    x=round(centre, 1),
                    y=round(baseline - PLOT_HEIGHT * float(share) / 100, 1),
                    title=f"{labels['running']} {name}: {_fmt_percent(share)}",
                )
            )
    ticks = [
        Tick(y=round(baseline - PLOT_HEIGHT * step / 5, 1), label=str(top_value * step // 5))
        for step in range(6)
    ]
    percent_ticks = [
        Tick(y=round(baseline - PLOT_HEIGHT * step / 5, 1), label=f"{step * 20}%") for step in range(6)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_axis_x=WIDTH - RIGHT,
        baseline=baseline,
        top=TOP,
        bars=bars,
        ticks=ticks,
        percent_ticks=percent_ticks,
        month_labels=month_labels,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        points=points,
    )

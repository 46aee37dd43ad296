"""The tasks' trend chart, drawn on the server as inline SVG (no JavaScript, prints as is),
with the geometry and helpers of the work program's chart (``workprogram.reports.charts``):
per month of original deadline, bars for the tasks assigned, done on time, and late
(done late or overdue), and a line for the running on-time rate. The template
``oversight/statistics/_chart.html`` writes the elements."""

from __future__ import annotations

from collections.abc import Sequence

from caicach.oversight.statistics.queries import Figures, MonthRow, rate_text
from caicach.workprogram.reports.charts import (
    HEIGHT,
    LEFT,
    PLOT_HEIGHT,
    PLOT_WIDTH,
    RIGHT,
    TOP,
    WIDTH,
    Bar,
    Chart,
    Point,
    Tick,
    nice_ceiling,
)

# (figure, css class): "late" is done late plus overdue, coloured by the ``chart-late`` rule of
# the chart's own style block.
SERIES = (("assigned", "chart-due"), ("done_on_time", "chart-issued"), ("late", "chart-late"))


def _value(month: MonthRow, name: str) -> int:
    return month.done_late + month.overdue if name == "late" else int(getattr(month, name))


def trend_chart(months: Sequence[MonthRow], labels: dict[str, str]) -> Chart:
    """``labels`` names the series ({"assigned": ..., "done_on_time": ..., "late": ...,
    "running": ...})."""
    top_value = nice_ceiling(max((m.assigned for m in months), default=0))
    baseline = TOP + PLOT_HEIGHT
    slot = PLOT_WIDTH / max(len(months), 1)
    bar_width = slot * 0.22
    gap = slot * 0.04
    group_width = 3 * bar_width + 2 * gap
    bars: list[Bar] = []
    month_labels: list[Point] = []
    points: list[Point] = []
    running = Figures()
    for index, month in enumerate(months):
        start = LEFT + index * slot + (slot - group_width) / 2
        centre = LEFT + index * slot + slot / 2
        name = f"{month.month.month}/{month.month.year}"
        for offset, (series, css) in enumerate(SERIES):
            value = _value(month, series)
            height = PLOT_HEIGHT * value / top_value
            bars.append(
                Bar(
                    x=round(start + offset * (bar_width + gap), 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    css=css,
                    value=value,
                    title=f"{labels[series]} {name}: {value}",
                )
            )
        short = (
            f"T{month.month.month}" if len(months) <= 12 else f"{month.month.month}/{month.month.year % 100}"
        )
        month_labels.append(Point(x=round(centre, 1), y=baseline + 18, title=short))
        running.add(month)
        rate = running.on_time_rate
        if rate is not None:
            points.append(
                Point(
                    x=round(centre, 1),
                    y=round(baseline - PLOT_HEIGHT * float(rate) / 100, 1),
                    title=f"{labels['running']} {name}: {rate_text(rate)}",
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

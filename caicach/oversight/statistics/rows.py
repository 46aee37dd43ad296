"""The drill-down's rows, written in Python and kept.

A page of 50 tasks cost the template engine some 15 ms at national scale: a truncated text,
three dates and, per row, a loop over the timeliness labels to find its own. So they are
written once and kept (``core.pagination.kept_rows``) under the page's keys, the day and the
deadline counted against."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

from caicach.core.pagination import MarkupRow, kept_rows, rows_by_key
from caicach.oversight.models import Task
from caicach.oversight.timeliness import Against, Timeliness, timeliness_expression


def drill_rows_of(*, today: datetime.date, against: Against) -> Callable[[list[int]], list[MarkupRow]]:
    """The rows of a page of the drill-down (``queries.cell_tasks``) from its keys, with each
    task's class as of ``today`` against its original or its current deadline."""

    def rows_of(ids: list[int]) -> list[MarkupRow]:
        written = lambda: _written(ids, today, against)  # noqa: E731
        return kept_rows("task statistics: a drill-down's rows", ids, written, today, against)

    return rows_of


def _day(value: datetime.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _written(ids: list[int], today: datetime.date, against: Against) -> Iterator[tuple[int, str]]:
    expression = timeliness_expression(today=today, due_soon_until=today, against=against)
    tasks = Task.objects.select_related("lead_unit", "assigned_by").annotate(kpi_class_value=expression)
    labels = {value: escape(label) for value, label in Timeliness.choices}
    extended = f' <span class="muted small">({escape(gettext("gia hạn"))})</span>'
    for task in rows_by_key(tasks, ids):
        lead = task.lead_unit
        reference = f'<br><span class="muted small">{escape(task.source_reference)}</span>'
        yield (
            task.pk,
            (
                f'<tr data-task="{task.pk}"><td>{escape(Truncator(task.content).chars(160))}'
                f"{reference if task.source_reference else ''}</td>"
                f"<td>{escape(lead.short_name or lead.name)}</td>"
                f"<td>{escape(str(task.assigned_by))}</td>"
                f"<td>{_day(task.original_deadline)}</td>"
                f"<td>{_day(task.deadline)}{extended if task.deadline != task.original_deadline else ''}</td>"
                f"<td>{_day(task.done_on) or '—'}</td>"
                f"<td>{labels.get(task.kpi_class_value, '')}</td></tr>"  # type: ignore[attr-defined]
            ),
        )

"""The drill-down's rows, written in Python and kept.

A page of 50 tasks cost the template engine some 15 ms at national scale: a truncated text,
three dates and, per row, a loop over the timeliness labels to find its own. So a page's rows
are written once, as the markup the template wrote (a test renders both and compares them),
and kept by the page's keys, the day and the deadline counted against until a write to a
table they read commits (``drill_rows_of``). A row is the same to anyone who may see the
task; who may is in the keys, which only the reader's scope found."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from caicach.core.choices import kept_while_read
from caicach.core.pagination import rows_by_key
from caicach.oversight.models import Task
from caicach.oversight.timeliness import Against, Timeliness, timeliness_expression


class ShownTask(NamedTuple):
    """A task as a row of the drill-down (escaped markup)."""

    pk: int
    markup: SafeString


def drill_rows_of(*, today: datetime.date, against: Against) -> Callable[[list[int]], list[ShownTask]]:
    """The rows of a page of the drill-down (``queries.cell_tasks``) from its keys, with each
    task's class as of ``today`` against its original or its current deadline."""

    def rows_of(ids: list[int]) -> list[ShownTask]:
        written = lambda: _written(ids, today, against)  # noqa: E731
        return kept_while_read("task statistics: a drill-down's rows", (tuple(ids), today, against), written)

    return rows_of


def _day(value: datetime.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _written(ids: list[int], today: datetime.date, against: Against) -> list[ShownTask]:
    expression = timeliness_expression(today=today, due_soon_until=today, against=against)
    tasks = Task.objects.select_related("lead_unit", "assigned_by").annotate(kpi_class_value=expression)
    labels = {value: escape(label) for value, label in Timeliness.choices}
    extended = f' <span class="muted small">({escape(gettext("gia hạn"))})</span>'
    shown = []
    for task in rows_by_key(tasks, ids):
        lead = task.lead_unit
        reference = f'<br><span class="muted small">{escape(task.source_reference)}</span>'
        markup = (
            f'<tr data-task="{task.pk}"><td>{escape(Truncator(task.content).chars(160))}'
            f"{reference if task.source_reference else ''}</td>"
            f"<td>{escape(lead.short_name or lead.name)}</td>"
            f"<td>{escape(str(task.assigned_by))}</td>"
            f"<td>{_day(task.original_deadline)}</td>"
            f"<td>{_day(task.deadline)}{extended if task.deadline != task.original_deadline else ''}</td>"
            f"<td>{_day(task.done_on) or '—'}</td>"
            f"<td>{labels.get(task.kpi_class_value, '')}</td></tr>"  # type: ignore[attr-defined]
        )
        shown.append(ShownTask(task.pk, mark_safe(markup)))  # escaped above
    return shown

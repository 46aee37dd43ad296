"""The task list's rows, written in Python and kept.

A page of 25 tasks cost the template engine some 10 ms at national scale (a truncated text,
three dates, the timeliness badge's include and its comparisons per row), more than the
list's queries; reading them again with their units, leaders, timeliness and pending
requests, and truncating each text, cost as much again on every visit. So a page's rows are
written once and kept (``core.pagination.kept_rows``) under the page's keys and the day, also
until the working calendar changes."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

from caicach.core.pagination import MarkupRow, kept_rows
from caicach.oversight.followup.queries import remaining_words, tasks_by_key
from caicach.oversight.models import OPEN_STATUSES, Task, TaskSource
from caicach.oversight.timeliness import Timeliness

# The labels by value (Django's get_FOO_display builds this mapping on every call); the
# badge said "not yet due" for any other timeliness, as ``followup/_timeliness.html`` does.
_SOURCES = dict(TaskSource.choices)
_TIMELINESS = dict(Timeliness.choices)


def task_rows_of(*, today: datetime.date) -> Callable[[list[int]], list[MarkupRow]]:
    """The rows of a page of the task list from the page's keys, kept under them and the day
    (the remaining working days and the timeliness are as of ``today``). The rows are the
    same to anyone who may see the tasks; who may is in the keys, which only the reader's
    scope found."""

    def rows_of(ids: list[int]) -> list[MarkupRow]:
        return kept_rows("task list: a page's rows", ids, lambda: _written(ids, today), today)

    return rows_of


def _written(ids: list[int], today: datetime.date) -> Iterable[tuple[int, str]]:
    # The timeliness is read here, by key (``tasks_by_key``), so that the committees'
    # settings it reads renew the kept rows when they change.
    tasks = tasks_by_key(ids, today)
    return zip((task.pk for task in tasks), _markup(tasks, today=today), strict=True)


def _markup(tasks: Iterable[Task], *, today: datetime.date) -> list[str]:
    """``<tr>`` of each task (``queries.with_timeliness``: timeliness and pending extension
    annotated; lead unit and leader joined)."""
    asking = escape(gettext("Đang xin gia hạn"))
    first = gettext("ban đầu %(day)s")
    return [_row(task, remaining_words(task.deadline, today), asking, first) for task in tasks]


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _row(task: Task, remaining: str, asking: str, first: str) -> str:
    source = str(escape(_SOURCES.get(task.source, task.source)))
    if task.source_reference:
        source += f" · {escape(task.source_reference)}"
    lead = task.lead_unit
    deadline = _day(task.deadline)
    if task.deadline != task.original_deadline:
        deadline += f'<br><span class="muted">{escape(first % {"day": _day(task.original_deadline)})}</span>'
    if task.status in OPEN_STATUSES:
        deadline += f'<br><span class="muted">{escape(remaining)}</span>'
    timeliness: Any = getattr(task, "timeliness", "")
    said = escape(_TIMELINESS.get(timeliness, _TIMELINESS[Timeliness.NOT_YET_DUE]))
    badge = f'<span class="badge timeliness-{escape(timeliness)}">{said}</span>'
    if getattr(task, "has_pending_extension", False):
        badge += f'<br><span class="muted">{asking}</span>'
    return (
        "<tr>"
        f'<td><a href="{escape(task.get_absolute_url())}">{escape(Truncator(task.content).chars(160))}</a>'
        f'<br><span class="muted">{source} · {_day(task.source_date)}</span></td>'
        f"<td>{escape(lead.short_name or lead.name)}</td>"
        f"<td>{escape(task.assigned_by.full_name)}</td>"
        f"<td>{deadline}</td>"
        f"<td>{badge}</td>"
        "</tr>"
    )

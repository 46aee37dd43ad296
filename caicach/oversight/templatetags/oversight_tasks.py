"""The task list's rows, written in Python.

A page of 25 tasks cost the template engine some 10 ms at national scale (a truncated text,
three dates, the timeliness badge's include and its comparisons per row), more than the
list's queries. The markup is the one the template wrote (a test renders both and compares
them)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from caicach.oversight.models import OPEN_STATUSES, Task, TaskSource
from caicach.oversight.timeliness import Timeliness

register = template.Library()

# The labels by value (Django's get_FOO_display builds this mapping on every call); the
# badge said "not yet due" for any other timeliness, as ``followup/_timeliness.html`` does.
_SOURCES = dict(TaskSource.choices)
_TIMELINESS = dict(Timeliness.choices)


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@register.simple_tag
def task_rows(rows: list[tuple[Task, str]]) -> SafeString:
    """``<tr>`` of each (task, remaining time in words) of the list (``followup.queries
    .task_rows``: lead unit, leader, timeliness and pending extension read with it)."""
    asking = escape(gettext("Đang xin gia hạn"))
    first = gettext("ban đầu %(day)s")
    return mark_safe("".join(_row(task, remaining, asking, first) for task, remaining in rows))


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

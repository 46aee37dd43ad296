"""How a task stands against its deadline — derived, never stored (issue 14, Decision
42/2014 statistics: done on time / done late / overdue / not yet due).

Two readings of the same rule, kept in one place:
- ``against="deadline"`` (the current deadline, after approved extensions) drives the daily
  work: the task lists, reminders and urging;
- ``against="original_deadline"`` drives the KPIs: an extension does not wash the record —
  a task done within its extension counts as done late, and the statistics show the number
  of extended tasks beside each class.

``timeliness_of`` (Python, one task) and ``timeliness_expression`` (SQL, a queryset
annotation) must agree; a test checks them against each other on every case."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from caicach.oversight.models import OPEN_STATUSES, Task, TaskStatus

Against = Literal["deadline", "original_deadline"]


class Timeliness(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OVERDUE = "overdue", _("Quá hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    NOT_YET_DUE = "not_yet_due", _("Chưa đến hạn")
    CANCELLED = "cancelled", _("Đã hủy")


# The four classes of the national statistics ("due soon" is part of "not yet due" there).
KPI_CLASSES = (Timeliness.DONE_ON_TIME, Timeliness.DONE_LATE, Timeliness.OVERDUE, Timeliness.NOT_YET_DUE)


def timeliness_of(
    task: Task, *, today: datetime.date, due_soon_until: datetime.date, against: Against = "deadline"
) -> Timeliness:
    """``due_soon_until``: the last day counted as "due soon" (today + N working days, from
    the committee's setting through the calendar)."""
    due: datetime.date = getattr(task, against)
    if task.status == TaskStatus.CANCELLED:
        return Timeliness.CANCELLED
    if task.status == TaskStatus.DONE:
        assert task.done_on is not None
        return Timeliness.DONE_ON_TIME if task.done_on <= due else Timeliness.DONE_LATE
    if today > due:
        return Timeliness.OVERDUE
    if due <= due_soon_until:
        return Timeliness.DUE_SOON
    return Timeliness.NOT_YET_DUE


def timeliness_expression(
    *, today: datetime.date, due_soon_until: datetime.date, against: Against = "deadline"
) -> Case:
    """The same rule as a database expression: ``Task.objects.annotate(timeliness=...)``."""
    return Case(
        When(status=TaskStatus.CANCELLED, then=Value(Timeliness.CANCELLED.value)),
        When(Q(status=TaskStatus.DONE, done_on__lte=F(against)), then=Value(Timeliness.DONE_ON_TIME.value)),
        When(status=TaskStatus.DONE, then=Value(Timeliness.DONE_LATE.value)),
        When(Q(status__in=OPEN_STATUSES, **{f"{against}__lt": today}), then=Value(Timeliness.OVERDUE.value)),
        When(
            Q(status__in=OPEN_STATUSES, **{f"{against}__lte": due_soon_until}),
            then=Value(Timeliness.DUE_SOON.value),
        ),
        default=Value(Timeliness.NOT_YET_DUE.value),
        output_field=models.CharField(),
    )


def overdue_q(today: datetime.date, against: Against = "deadline") -> Q:
    """Open tasks past their deadline (the urging's and the laggards' filter)."""
    return Q(status__in=OPEN_STATUSES, **{f"{against}__lt": today})

"""The daily reminders of assigned tasks (issue 14, point 4): for every open task, N working
days before its current deadline, on the deadline, and every M working days while overdue
(the committee's ``OversightSettings``; the defaults without a row). Which day gets which
reminder is ``queries.reminder_kind_on`` (days off, make-up Saturdays: see there).

Who is told: the heads and staff of the lead unit (they do the work and report progress);
the Office's monitoring officer of the task is copied on overdue reminders, so the Office
knows whom to urge. Each reminder is recorded in ``TaskReminder`` (one per task, kind and
day): a re-run of the same day skips what is recorded and sends nothing twice. An overdue
reminder counts as one urging (``Task.urge_count``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.calendar import queries as calendar
from caicach.core.models import User
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.oversight.models import OPEN_STATUSES, OversightSettings, ReminderKind, Task, TaskReminder
from caicach.oversight.urging.queries import days_overdue, reminder_kind_on, unit_people

# Tasks due further ahead than this get no reminder today, whatever the setting (at most 30
# working days, never more than this many calendar days even across Tết).
HORIZON_DAYS = 75


def _settings_by_committee(committee_ids: set[int]) -> dict[int, OversightSettings]:
    found = {row.unit_id: row for row in OversightSettings.objects.filter(unit_id__in=sorted(committee_ids))}
    return {pk: found.get(pk) or OversightSettings(unit_id=pk) for pk in committee_ids}


def due_reminders(day: datetime.date) -> list[tuple[Task, ReminderKind]]:
    """The reminders that go out on ``day`` and are not yet recorded."""
    if not calendar.is_working_day(day):
        return []
    tasks = list(
        Task.objects.filter(
            status__in=OPEN_STATUSES, deadline__lte=day + datetime.timedelta(days=HORIZON_DAYS)
        )
        .select_related("lead_unit", "monitoring_officer")
        .order_by("pk")
    )
    rules = _settings_by_committee({task.committee_id for task in tasks})
    sent = set(TaskReminder.objects.filter(sent_on=day).values_list("task_id", "kind"))
    out: list[tuple[Task, ReminderKind]] = []
    for task in tasks:
        rule = rules[task.committee_id]
        kind = reminder_kind_on(
            task.deadline, day, before=rule.remind_before_working_days, every=rule.overdue_every_working_days
        )
        if kind is not None and (task.pk, kind.value) not in sent:
            out.append((task, kind))
    return out


def _message(task: Task, kind: ReminderKind, day: datetime.date) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        content = task.content[:150]
        due = f"{task.deadline:%d/%m/%Y}"
        if kind == ReminderKind.OVERDUE:
            title = _("Đôn đốc nhiệm vụ quá hạn: %(task)s") % {"task": content}
            body = _(
                "Nhiệm vụ đã quá hạn %(days)s ngày làm việc (hạn %(due)s). Đề nghị đơn vị khẩn trương hoàn "
                "thành và cập nhật tiến độ."
            ) % {"days": days_overdue(task.deadline, day), "due": due}
        elif kind == ReminderKind.DUE:
            title = _("Nhiệm vụ đến hạn: %(task)s") % {"task": content}
            body = _("Thời hạn hoàn thành nhiệm vụ: hết ngày %(due)s.") % {"due": due}
        else:
            title = _("Nhắc nhiệm vụ sắp đến hạn: %(task)s") % {"task": content}
            body = _("Còn %(days)s ngày làm việc đến hạn hoàn thành nhiệm vụ (hết ngày %(due)s).") % {
                "days": calendar.working_days_between(day, task.deadline),
                "due": due,
            }
    return str(title), str(body)


def send_reminder(task: Task, kind: ReminderKind, day: datetime.date, people: dict[int, User]) -> bool:
    """Record and send one reminder; False when it was already recorded (a concurrent run)."""
    recipients = dict(people)
    if kind == ReminderKind.OVERDUE and task.monitoring_officer is not None:
        recipients[task.monitoring_officer.pk] = task.monitoring_officer
    try:
        with transaction.atomic():
            TaskReminder.objects.create(
                task=task, kind=kind, sent_on=day, deadline=task.deadline, recipients=len(recipients)
            )
            if kind == ReminderKind.OVERDUE:
                Task.objects.filter(pk=task.pk).update(urge_count=F("urge_count") + 1)
            title, body = _message(task, kind, day)
            if recipients:
                notify(
                    recipients=list(recipients.values()), title=title, body=body, url=task.get_absolute_url()
                )
    except IntegrityError:
        return False
    return True


@daily("oversight.task_reminders")
def task_reminders(day: datetime.date) -> None:
    send_reminders(day)


def send_reminders(day: datetime.date) -> int:
    """Send the day's reminders of every open task; how many were sent."""
    pending = due_reminders(day)
    people = unit_people([task.lead_unit_id for task, _kind in pending])
    return sum(send_reminder(task, kind, day, people.get(task.lead_unit_id, {})) for task, kind in pending)

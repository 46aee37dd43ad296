"""The daily task reminders fire on the right working days: N working days before the
deadline, on it, and every M working days while overdue — never on a day off, a reminder
due on a day off moved to the working day before, a make-up Saturday counted as working.
Across Tết 2026 (off Sat 14/02 – Sun 22/02), 27/4 and 30/4–3/5/2026, and the make-up
Saturday 10/01/2026."""

from __future__ import annotations

import datetime

import pytest

from caicach.core import reminders as core_reminders
from caicach.core.calendar import queries as calendar
from caicach.core.calendar.services import calendar_load_official
from caicach.core.models import Notification, Role
from caicach.oversight.models import OversightSettings, ReminderKind, TaskReminder, TaskStatus
from caicach.oversight.urging.queries import reminder_kind_on
from caicach.oversight.urging.reminders import send_reminders
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.oversight.urging.factories import make_task

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def official(db: None) -> None:
    """The Government's notices of 2026 (the make-up Saturdays, the swapped days)."""
    calendar_load_official(actor=None)
    calendar.invalidate()


def run_days(first: datetime.date, last: datetime.date) -> None:
    day = first
    while day <= last:
        with on_day(day):
            send_reminders(day)
        day += datetime.timedelta(days=1)


def sent(task_id: int) -> list[tuple[datetime.date, str]]:
    return sorted(TaskReminder.objects.filter(task_id=task_id).values_list("sent_on", "kind"))


def test_the_calendar_of_2026_is_what_these_tests_assume(db: None) -> None:
    assert not any(calendar.is_working_day(D(2026, 2, day)) for day in range(14, 23))
    assert calendar.is_working_day(D(2026, 2, 13)) and calendar.is_working_day(D(2026, 2, 23))
    assert not calendar.is_working_day(D(2026, 4, 27))  # Hùng Kings, moved from Sunday 26/4
    assert not any(calendar.is_working_day(D(2026, month, day)) for month, day in ((4, 30), (5, 1)))
    assert calendar.is_working_day(D(2026, 1, 10))  # make-up Saturday


def test_reminders_across_tet(org: Org, people: People) -> None:
    """Due Friday 13/02, the last working day before Tết: 3 working days before (Tue 10/02),
    on the day, then the first working day after (Mon 23/02, after nine days off) and every
    5 working days (Mon 02/03). Nothing during Tết."""
    task = make_task(org, people, deadline=D(2026, 2, 13))
    run_days(D(2026, 2, 1), D(2026, 3, 6))
    assert sent(task.pk) == [
        (D(2026, 2, 10), ReminderKind.BEFORE),
        (D(2026, 2, 13), ReminderKind.DUE),
        (D(2026, 2, 23), ReminderKind.OVERDUE),
        (D(2026, 3, 2), ReminderKind.OVERDUE),
    ]
    task.refresh_from_db()
    assert task.urge_count == 2  # only overdue reminders urge


def test_a_deadline_on_a_day_off_is_reminded_on_the_working_day_before(org: Org, people: People) -> None:
    """Due Wednesday 18/02 (Tết): the day's reminder goes on Friday 13/02, the one 3 working
    days before on Wednesday 11/02; overdue from Monday 23/02."""
    task = make_task(org, people, deadline=D(2026, 2, 18))
    run_days(D(2026, 2, 2), D(2026, 2, 24))
    assert sent(task.pk) == [
        (D(2026, 2, 11), ReminderKind.BEFORE),
        (D(2026, 2, 13), ReminderKind.DUE),
        (D(2026, 2, 23), ReminderKind.OVERDUE),
    ]


def test_reminders_around_30_april(org: Org, people: People) -> None:
    """Due Wednesday 29/4/2026: 3 working days before skips Monday 27/4 (Hùng Kings) and the
    weekend: Thursday 23/4. Overdue: Monday 4/5 (30/4–3/5 off), then Monday 11/5."""
    task = make_task(org, people, deadline=D(2026, 4, 29))
    run_days(D(2026, 4, 20), D(2026, 5, 12))
    assert sent(task.pk) == [
        (D(2026, 4, 23), ReminderKind.BEFORE),
        (D(2026, 4, 29), ReminderKind.DUE),
        (D(2026, 5, 4), ReminderKind.OVERDUE),
        (D(2026, 5, 11), ReminderKind.OVERDUE),
    ]


def test_a_make_up_saturday_is_a_working_day_for_reminders(org: Org, people: People) -> None:
    """The committee reminds 1 working day before: due Monday 12/01/2026, that is the
    make-up Saturday 10/01 (not Friday 09/01)."""
    OversightSettings.objects.create(
        unit=org.province, remind_before_working_days=1, overdue_every_working_days=2
    )
    task = make_task(org, people, deadline=D(2026, 1, 12))
    run_days(D(2026, 1, 5), D(2026, 1, 16))
    assert sent(task.pk) == [
        (D(2026, 1, 10), ReminderKind.BEFORE),
        (D(2026, 1, 12), ReminderKind.DUE),
        (D(2026, 1, 13), ReminderKind.OVERDUE),
        (D(2026, 1, 15), ReminderKind.OVERDUE),  # every 2 working days
    ]


def test_no_reminder_on_a_day_off_whatever_the_rule() -> None:
    for day in (D(2026, 2, 16), D(2026, 5, 1), D(2026, 1, 11)):
        for deadline in (day - datetime.timedelta(days=3), day, day + datetime.timedelta(days=2)):
            assert reminder_kind_on(deadline, day, before=3, every=1) is None


def test_zero_days_before_sends_only_the_days_reminder(org: Org, people: People) -> None:
    OversightSettings.objects.create(unit=org.province, remind_before_working_days=0)
    task = make_task(org, people, deadline=D(2026, 3, 11))
    run_days(D(2026, 3, 2), D(2026, 3, 11))
    assert sent(task.pk) == [(D(2026, 3, 11), ReminderKind.DUE)]


def test_recipients_and_idempotence(org: Org, people: People) -> None:
    """The lead unit's head and staff; the monitoring officer is copied on overdue ones; a
    re-run of the same day sends nothing twice."""
    task = make_task(org, people, deadline=D(2026, 3, 11), monitoring_officer=people.office_officer)
    day = D(2026, 3, 11)
    with on_day(day):
        assert send_reminders(day) == 1
        assert send_reminders(day) == 0
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {people.unit_head.pk, people.unit_staff.pk}
    assert Notification.objects.get(recipient=people.unit_head).url == task.get_absolute_url()
    overdue_day = D(2026, 3, 12)
    with on_day(overdue_day):
        assert send_reminders(overdue_day) == 1
        assert send_reminders(overdue_day) == 0
    assert Notification.objects.filter(recipient=people.office_officer).count() == 1
    assert not Notification.objects.filter(recipient__in=[people.outsider, people.leader]).exists()
    task.refresh_from_db()
    assert task.urge_count == 1
    assert TaskReminder.objects.get(task=task, kind=ReminderKind.OVERDUE).recipients == 3


def test_closed_tasks_and_other_units_are_not_reminded(org: Org, people: People) -> None:
    day = D(2026, 3, 11)
    make_task(org, people, deadline=day, status=TaskStatus.DONE, done_on=day)
    make_task(org, people, deadline=day, status=TaskStatus.CANCELLED, cancel_reason="Không còn phù hợp")
    other = person("truongnv", org.home_affairs, Role.UNIT_HEAD)
    make_task(org, people, deadline=day, lead_unit=org.home_affairs)
    with on_day(day):
        assert send_reminders(day) == 1
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {other.pk}


def test_the_reminder_is_registered_with_the_daily_run(org: Org, people: People) -> None:
    assert "oversight.task_reminders" in core_reminders.registered()
    task = make_task(org, people, deadline=D(2026, 3, 11))
    with on_day(D(2026, 3, 11)):
        report = core_reminders.run_daily(D(2026, 3, 11))
    assert "oversight.task_reminders" in report.ran
    assert sent(task.pk) == [(D(2026, 3, 11), ReminderKind.DUE)]


def test_the_days_query_count_does_not_grow_with_tasks(
    org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    day = D(2026, 3, 11)
    for _n in range(3):
        make_task(org, people, deadline=D(2026, 3, 1))
    with on_day(day):
        send_reminders(day - datetime.timedelta(days=7))  # warm the calendar
    TaskReminder.objects.all().delete()

    def count(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with on_day(day), CaptureQueriesContext(connection) as ctx:
            send_reminders(day + datetime.timedelta(days=n))
        return len(ctx.captured_queries)

    few = count(0)
    for _n in range(6):
        make_task(org, people, deadline=D(2026, 3, 1), lead_unit=org.home_affairs)
    TaskReminder.objects.all().delete()
    assert count(0) <= few + 6 * 6  # per reminder: a savepoint, the row, the urge, the notification

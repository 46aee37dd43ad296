"""The daily reminder of the adoption reports (who is told what on which day, by the
working-day calendar with its holidays) and the home page's to-dos."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.core import reminders as core_reminders
from caicach.core.calendar import queries as calendar
from caicach.core.models import CalendarDay, CalendarDayKind, Notification, User
from caicach.core.todos import todos_for
from caicach.replication.adoption.queries import ReportContent, reports_awaiting_review, reports_to_send
from caicach.replication.adoption.reminders import adoption_report_reminders
from caicach.replication.adoption.services import adoption_report_submit
from caicach.replication.cycles import cycle_of, report_due_on, settings_for
from caicach.replication.models import AdoptionStatus, Obligation, ReplicationSettings
from tests.conftest import Org, People, on_day
from tests.replication.factories import make_directive, make_obligation, make_practice

Q1_2025 = datetime.date(2025, 1, 1)
# Q1 2025 ends on Monday 31/03; ten working days on, past the Hùng Kings' day (Monday 07/04,
# 10/3 lunar), the report is due on Tuesday 15/04 (14/04 without the holiday); three working
# days before it is Thursday 10/04.
DUE = datetime.date(2025, 4, 15)
REMINDER = datetime.date(2025, 4, 10)


# The person's grants, the count and the first obligations' keys, those obligations with
# their relations, the committee's settings, the calendar's year (cached after).
TODO_QUERIES = 5


@pytest.fixture
def obligation(org: Org) -> Obligation:
    directive = make_directive(org, issued_on=datetime.date(2024, 12, 20))
    return make_obligation(directive, org.science, make_practice(org))


def told(user: User) -> list[str]:
    sent = Notification.objects.filter(recipient=user, title__contains="báo cáo nhân rộng")
    return list(sent.order_by("id").values_list("title", flat=True))


def test_the_due_and_reminder_days_follow_the_calendar_with_its_holidays(org: Org) -> None:
    assert report_due_on(cycle_of(Q1_2025, "quarterly"), settings_for(org.province)) == DUE


def test_the_units_head_and_staff_are_reminded_working_days_before_and_on_the_due_day(
    obligation: Obligation, people: People
) -> None:
    day = REMINDER - datetime.timedelta(days=1)
    while day <= DUE + datetime.timedelta(days=1):
        adoption_report_reminders(day)
        day += datetime.timedelta(days=1)
    for user in (people.unit_head, people.unit_staff):
        assert told(user) == [
            "Nhắc gửi báo cáo nhân rộng kỳ Quý I/2025",
            "Hôm nay là hạn gửi báo cáo nhân rộng kỳ Quý I/2025",
        ]
    body = Notification.objects.filter(recipient=people.unit_staff).first()
    assert body is not None and "Hạn gửi: hết ngày 15/04/2025" in body.body
    for user in (people.reform_officer, people.leader, people.outsider):
        assert told(user) == []


def test_a_unit_that_has_sent_its_report_is_not_reminded(obligation: Obligation, people: People) -> None:
    with on_day(datetime.date(2025, 4, 2)):
        adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1_2025,
            content=ReportContent(adoption_status=AdoptionStatus.STUDYING),
            version=None,
        )
    adoption_report_reminders(REMINDER)
    adoption_report_reminders(DUE)
    assert told(people.unit_staff) == []


def test_the_committees_setting_moves_the_reminder(org: Org, obligation: Obligation, people: People) -> None:
    ReplicationSettings.objects.create(unit=org.province, reminder_working_days=1)
    adoption_report_reminders(REMINDER)
    assert told(people.unit_staff) == []
    adoption_report_reminders(datetime.date(2025, 4, 14))
    assert told(people.unit_staff) == ["Nhắc gửi báo cáo nhân rộng kỳ Quý I/2025"]


def test_an_obligation_handed_on_before_the_cycle_is_not_reminded(
    obligation: Obligation, people: People
) -> None:
    Obligation.objects.filter(pk=obligation.pk).update(ended_on=datetime.date(2024, 12, 31))
    adoption_report_reminders(REMINDER)
    assert told(people.unit_staff) == []


def test_the_reminder_is_registered_as_a_daily_job() -> None:
    assert core_reminders.registered()["replication.adoption_report_reminders"] is adoption_report_reminders


# --- To-dos --------------------------------------------------------------------------------------------


def test_the_unit_sees_the_report_to_send_until_it_is_sent_and_late_after_its_due_day(
    obligation: Obligation, people: People, django_assert_max_num_queries: Any, committed: Any
) -> None:
    with on_day(datetime.date(2025, 4, 2)):
        with django_assert_max_num_queries(TODO_QUERIES):
            entry = reports_to_send(people.unit_staff, 5)
        assert entry is not None and entry.count == 1
        assert entry.items[0].late is False
        assert "15/04/2025" in entry.items[0].detail
        assert reports_to_send(people.reform_officer, 5) is None
    with on_day(datetime.date(2025, 4, 16)):
        entry = reports_to_send(people.unit_head, 5)
        assert entry is not None and entry.items[0].late is True
        with committed():
            adoption_report_submit(
                actor=people.unit_staff,
                obligation=obligation,
                period_start=Q1_2025,
                content=ReportContent(adoption_status=AdoptionStatus.STUDYING),
                version=None,
            )
        assert reports_to_send(people.unit_staff, 5) is None
        review = reports_awaiting_review(people.reform_officer, 5)
        assert review is not None and review.count == 1 and review.items[0].late is True
        assert reports_awaiting_review(people.unit_staff, 5) is None
        assert reports_awaiting_review(people.leader, 5) is None
        titles = [str(entry.title) for entry in todos_for(people.reform_officer)]
        assert "Báo cáo nhân rộng cần xem xét" in titles


def test_the_to_do_counts_every_unsent_obligation_in_one_query(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    directive = make_directive(org, issued_on=datetime.date(2024, 12, 20))
    for _ in range(8):
        make_obligation(directive, org.science, make_practice(org))
    with on_day(datetime.date(2025, 4, 2)), django_assert_max_num_queries(TODO_QUERIES):
        entry = reports_to_send(people.unit_staff, 5)
    assert entry is not None and entry.count == 8 and len(entry.items) == 5


def test_a_day_off_declared_by_the_administrator_moves_the_due_and_reminder_days(
    obligation: Obligation, people: People
) -> None:
    CalendarDay.objects.create(
        date=datetime.date(2025, 4, 11), kind=CalendarDayKind.DAY_OFF, description="Nghỉ bù"
    )
    calendar.invalidate()
    # Friday 11/04 off: due on Wednesday 16/04; three working days before it (15, 14, then 10/04,
    # the 11th no longer counting) is still Thursday 10/04; Tuesday 15/04 is no longer the due day.
    adoption_report_reminders(REMINDER)
    adoption_report_reminders(DUE)
    assert told(people.unit_staff) == ["Nhắc gửi báo cáo nhân rộng kỳ Quý I/2025"]
    adoption_report_reminders(datetime.date(2025, 4, 16))
    assert told(people.unit_staff)[-1] == "Hôm nay là hạn gửi báo cáo nhân rộng kỳ Quý I/2025"

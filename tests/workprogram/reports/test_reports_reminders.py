"""The monthly-report reminder goes out the configured number of working days before the
last on-time day, to the head and staff of the lead units that have not sent their report,
and to nobody else."""

from __future__ import annotations

import datetime

import pytest

from caicach.core import reminders
from caicach.core.calendar import queries as calendar
from caicach.core.models import CalendarDay, CalendarDayKind, Notification, Role
from caicach.workprogram.models import MonthlyReport, ReportStatus, WorkProgram, WorkProgramSettings
from caicach.workprogram.reports import reminders as report_reminders
from caicach.workprogram.reports.queries import report_form_url
from tests.conftest import Org, People
from tests.core.factories import person
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item

MARCH = datetime.date(2024, 3, 1)


@pytest.fixture
def program(org: Org, people: People) -> WorkProgram:
    program = make_program(org.province)
    make_item(program, org.science, MARCH)
    make_item(program, org.home_affairs, MARCH)
    make_item(program, org.commune, datetime.date(2024, 5, 1))
    return program


def titles_for(username: str) -> list[str]:
    return list(Notification.objects.filter(recipient__username=username).values_list("title", flat=True))


def test_it_is_registered_as_a_daily_function() -> None:
    assert (
        reminders.registered()["workprogram.monthly_report_reminders"]
        is report_reminders.monthly_report_reminders
    )


def test_three_working_days_before_the_14th_the_units_that_have_not_reported_are_reminded(
    program: WorkProgram, org: Org, people: People
) -> None:
    home_head = person("truongnoivu", org.home_affairs, Role.UNIT_HEAD)
    commune_staff = person("cbxa", org.commune, Role.UNIT_STAFF)
    # Home Affairs has sent its report; its head is not reminded.
    MonthlyReport.objects.create(
        program=program, unit=org.home_affairs, period=MARCH, due_date=datetime.date(2024, 3, 14),
        status=ReportStatus.SUBMITTED,
    )  # fmt: skip
    # A draft is not a report sent: Science is still reminded.
    MonthlyReport.objects.create(
        program=program, unit=org.science, period=MARCH, due_date=datetime.date(2024, 3, 14)
    )
    # 14/3/2024 is a Thursday: three working days before it is Monday 11/3.
    assert report_reminders.reminder_day(program, MARCH) == datetime.date(2024, 3, 11)
    for day in (8, 10, 12, 13):
        report_reminders.monthly_report_reminders(datetime.date(2024, 3, day))
    assert not Notification.objects.exists()

    report_reminders.monthly_report_reminders(datetime.date(2024, 3, 11))
    reminded = set(Notification.objects.values_list("recipient__username", flat=True))
    assert reminded == {people.unit_head.username, people.unit_staff.username, commune_staff.username}
    assert home_head.username not in reminded
    assert people.office_officer.username not in reminded and people.outsider.username not in reminded
    note = Notification.objects.get(recipient=people.unit_staff)
    assert "Nhắc gửi báo cáo tháng 3/2024" in note.title
    assert "hết ngày 14/03/2024" in note.body
    assert note.url == report_form_url(MonthlyReport(program=program, unit=org.science, period=MARCH))


def test_days_off_and_the_settings_move_the_reminder(program: WorkProgram, org: Org, people: People) -> None:
    WorkProgramSettings.objects.create(unit=org.province, report_day=15, report_reminder_working_days=2)
    # A day off declared on Tuesday 12/3 pushes "two working days before Thursday 14/3" back to Monday 11/3.
    CalendarDay.objects.create(
        date=datetime.date(2024, 3, 12), kind=CalendarDayKind.DAY_OFF, description="Nghỉ bù"
    )
    calendar.invalidate()
    assert report_reminders.reminder_day(program, MARCH) == datetime.date(2024, 3, 11)
    report_reminders.monthly_report_reminders(datetime.date(2024, 3, 12))
    assert titles_for(people.unit_staff.username) == []
    report_reminders.monthly_report_reminders(datetime.date(2024, 3, 11))
    assert len(titles_for(people.unit_staff.username)) == 1


def test_programs_of_other_years_are_left_alone(program: WorkProgram, org: Org, people: People) -> None:
    report_reminders.monthly_report_reminders(datetime.date(2025, 3, 11))
    assert not Notification.objects.exists()


def test_the_daily_scheduler_runs_it_once_a_day(program: WorkProgram, people: People) -> None:
    reminders.run_daily(datetime.date(2024, 3, 11))
    reminders.run_daily(datetime.date(2024, 3, 11))
    assert len(titles_for(people.unit_staff.username)) == 1

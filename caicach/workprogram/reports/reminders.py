"""The daily reminder of the monthly reports: ``report_reminder_working_days`` working days
before a report's last on-time day (the committee's setting, seed 001's "trước ngày 15"
with three working days of notice by default), the head and staff of every lead unit that
has not yet sent its report for the month are told, with a link to the form."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.calendar import queries as calendar
from caicach.core.models import Membership, User
from caicach.core.months import month_label
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.workprogram.models import MonthlyReport, ReportStatus, WorkProgram
from caicach.workprogram.programs.queries import settings_for
from caicach.workprogram.programs.rules import UNIT_ROLES
from caicach.workprogram.reports.queries import report_due_date, report_form_url
from caicach.workprogram.reports.rules import expected_units


def reminder_day(program: WorkProgram, period: datetime.date) -> datetime.date:
    """The day the reminder for ``program``'s report of ``period`` goes out."""
    days = settings_for(program.issuing_unit_id).report_reminder_working_days
    return calendar.working_day_before(report_due_date(program, period), days)


@daily("workprogram.monthly_report_reminders")
def monthly_report_reminders(day: datetime.date) -> None:
    period = day.replace(day=1)
    for program in WorkProgram.objects.filter(year=period.year).order_by("pk"):
        if reminder_day(program, period) != day:
            continue
        remind_units(program, period)


def remind_units(program: WorkProgram, period: datetime.date) -> int:
    """Notify the units of ``program`` that have not sent their report for ``period``; the
    number of units reminded."""
    sent = MonthlyReport.objects.filter(program=program, period=period, status=ReportStatus.SUBMITTED).values(
        "unit_id"
    )
    units = list(expected_units(program).exclude(pk__in=sent))
    if not units:
        return 0
    due = report_due_date(program, period)
    memberships = (
        Membership.objects.filter(unit__in=units, role__in=UNIT_ROLES, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    by_unit: dict[int, dict[int, User]] = {}
    for membership in memberships:
        by_unit.setdefault(membership.unit_id, {})[membership.user_id] = membership.user
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Nhắc gửi báo cáo tháng %(month)s: %(program)s") % {
            "month": month_label(period),
            "program": program.title,
        }
        body = _(
            "Đơn vị chưa gửi báo cáo tình hình thực hiện Chương trình công tác tháng %(month)s. Hạn gửi: "
            "hết ngày %(due)s."
        ) % {"month": month_label(period), "due": f"{due:%d/%m/%Y}"}
    for unit in units:
        recipients = list(by_unit.get(unit.pk, {}).values())
        if recipients:
            url = report_form_url(MonthlyReport(program=program, unit=unit, period=period))
            notify(recipients=recipients, title=title, body=body, url=url)
    return len(units)

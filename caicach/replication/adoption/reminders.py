"""The daily reminder of the adoption reports: ``reminder_working_days`` working days before
a cycle's report is due (the committee's setting) and on the due day itself, the head and
staff of every obliged unit that has not yet sent that report are told, once per unit and
day, with the number of reports missing and a link to the unit's list."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caicach.core.calendar import queries as calendar
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.replication.adoption.queries import unit_people
from caicach.replication.cycles import Cycle, cycle_of, report_due_on, settings_for
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    DirectiveStatus,
    Obligation,
    ReplicationSettings,
    ReportingCycle,
)

# A report falls due at most 60 working days (three months) after its cycle: the closed
# cycles looked at each day, per kind, to find those whose reminder or due day it is.
_CYCLES_BACK = {
    ReportingCycle.MONTHLY: 4,
    ReportingCycle.QUARTERLY: 2,
    ReportingCycle.HALF_YEARLY: 1,
    ReportingCycle.YEARLY: 1,
}


def reminder_days(
    cycle: Cycle, replication_settings: ReplicationSettings
) -> tuple[datetime.date, datetime.date]:
    """The day before (``reminder_working_days`` working days ahead) and the due day itself."""
    due = report_due_on(cycle, replication_settings)
    return calendar.working_day_before(due, replication_settings.reminder_working_days), due


def cycles_to_remind(
    day: datetime.date, replication_settings: ReplicationSettings
) -> list[tuple[Cycle, bool]]:
    """The closed cycles whose reminder (False) or due day (True) is ``day``."""
    found: list[tuple[Cycle, bool]] = []
    for kind, back in _CYCLES_BACK.items():
        cycle = cycle_of(day, kind)
        for _step in range(back):
            cycle = cycle.previous()
            before, due = reminder_days(cycle, replication_settings)
            if day == due:
                found.append((cycle, True))
            elif day == before:
                found.append((cycle, False))
    return found


@daily("replication.adoption_report_reminders")
def adoption_report_reminders(day: datetime.date) -> None:
    committees = (
        Obligation.objects.filter(directive__status=DirectiveStatus.ISSUED)
        .values_list("directive__issuing_unit_id", flat=True)
        .distinct()
        .order_by("directive__issuing_unit_id")
    )
    for committee in committees:
        for cycle, is_due_day in cycles_to_remind(day, settings_for(committee)):
            remind_units(committee, cycle, is_due_day=is_due_day)


def unsent_obligations(committee_id: int, cycle: Cycle) -> list[Obligation]:
    """The open obligations of the committee on ``cycle``'s kind whose report on it is not sent."""
    sent = AdoptionReport.objects.filter(
        period_start=cycle.start, status=AdoptionReportStatus.SUBMITTED
    ).values("obligation_id")
    by_kind = Q(assignment__reporting_cycle=cycle.kind) | Q(
        assignment__reporting_cycle="", directive__reporting_cycle=cycle.kind
    )
    return list(
        Obligation.objects.filter(
            by_kind,
            directive__issuing_unit_id=committee_id,
            directive__status=DirectiveStatus.ISSUED,
            starts_on__lte=cycle.end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cycle.start))
        .exclude(pk__in=sent)
        .select_related("unit")
        .order_by("unit_id", "pk")
    )


def remind_units(committee_id: int, cycle: Cycle, *, is_due_day: bool) -> int:
    """Notify each unit of the committee still owing reports on ``cycle``; the number of
    units reminded."""
    missing: dict[int, int] = defaultdict(int)
    for obligation in unsent_obligations(committee_id, cycle):
        missing[obligation.unit_id] += 1
    if not missing:
        return 0
    due = report_due_on(cycle, settings_for(committee_id))
    people = unit_people(missing)
    url = reverse("replication:obligation_list")
    reminded = 0
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, count in missing.items():
            recipients = people.get(unit_id, [])
            if not recipients:
                continue
            if is_due_day:
                title = _("Hôm nay là hạn gửi báo cáo nhân rộng kỳ %(cycle)s") % {"cycle": cycle.label}
            else:
                title = _("Nhắc gửi báo cáo nhân rộng kỳ %(cycle)s") % {"cycle": cycle.label}
            body = ngettext(
                "Đơn vị còn %(count)s báo cáo kết quả nhân rộng chưa gửi. Hạn gửi: hết ngày %(due)s.",
                "Đơn vị còn %(count)s báo cáo kết quả nhân rộng chưa gửi. Hạn gửi: hết ngày %(due)s.",
                count,
            ) % {"count": count, "due": f"{due:%d/%m/%Y}"}
            notify(recipients=recipients, title=title, body=body, url=url)
            reminded += 1
    return reminded

"""The daily reminder of members' opinions: ``reminder_working_days`` working days before the
deadline (the committee's setting) and on the deadline itself, the members who have not yet
answered are told, with a link to the draft."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.calendar import queries as calendar
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.deliberation.consultations.queries import settings_for
from caicach.deliberation.models import Consultation, ConsultationStatus, Opinion


def reminder_days(consultation: Consultation) -> set[datetime.date]:
    assert consultation.deadline is not None
    days = settings_for(consultation.committee_id).reminder_working_days
    return {calendar.working_day_before(consultation.deadline, days), consultation.deadline}


@daily("deliberation.opinion_reminders")
def opinion_reminders(day: datetime.date) -> None:
    for consultation in Consultation.objects.filter(
        status=ConsultationStatus.SENT, deadline__gte=day
    ).order_by("pk"):
        if day in reminder_days(consultation):
            remind_members(consultation)


def remind_members(consultation: Consultation) -> int:
    """Notify the members of ``consultation`` who have not answered; how many were told."""
    waiting = [
        opinion.member
        for opinion in Opinion.objects.filter(consultation=consultation, answer="")
        .select_related("member")
        .order_by("pk")
    ]
    if not waiting:
        return 0
    assert consultation.deadline is not None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Nhắc cho ý kiến: %(title)s") % {"title": consultation.title}
        body = _("Bạn chưa cho ý kiến về dự thảo này. Hạn cho ý kiến: hết ngày %(day)s.") % {
            "day": f"{consultation.deadline:%d/%m/%Y}"
        }
    notify(recipients=waiting, title=title, body=body, url=consultation.get_absolute_url())
    return len(waiting)

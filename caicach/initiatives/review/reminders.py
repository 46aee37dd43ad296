"""Daily reminder: council members with sheets still to submit hear about it the council's
``reminder_working_days`` working days before its scoring deadline (and on the deadline day
itself). Working days come from ``caicach.core.calendar.queries`` only."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.calendar.queries import working_day_before
from caicach.core.models import User
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.initiatives.models import Council, InitiativeStatus, ReviewAssignment, RoundStatus


def reminder_days(council: Council) -> set[datetime.date]:
    """The days the council's members are reminded: N working days before the deadline, and
    the deadline itself when it is a working day (``working_day_before(day, 0)``)."""
    deadline = council.scoring_deadline
    if deadline is None:
        return set()
    days = {working_day_before(deadline, 0)}
    if council.reminder_working_days:
        days.add(working_day_before(deadline, council.reminder_working_days))
    return days


def councils_to_remind(day: datetime.date) -> list[Council]:
    candidates = Council.objects.filter(
        round_status=RoundStatus.OPEN, scoring_deadline__isnull=False, scoring_deadline__gte=day
    ).order_by("pk")
    return [council for council in candidates if day in reminder_days(council)]


@daily("initiatives.review_reminders")
def remind_reviewers(day: datetime.date) -> None:
    councils = {council.pk: council for council in councils_to_remind(day)}
    if not councils:
        return
    owed: dict[int, dict[int, int]] = {}  # council -> user -> sheets still to submit
    for council_id, user_id in ReviewAssignment.objects.filter(
        member__council_id__in=list(councils),
        excluded=False,
        submitted_at__isnull=True,
        initiative__status=InitiativeStatus.IN_REVIEW,
    ).values_list("member__council_id", "member__user_id"):
        per_user = owed.setdefault(council_id, {})
        per_user[user_id] = per_user.get(user_id, 0) + 1
    users = User.objects.in_bulk({user_id for per_user in owed.values() for user_id in per_user})
    for council_id, per_user in owed.items():
        council = councils[council_id]
        deadline = council.scoring_deadline
        assert deadline is not None
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Nhắc chấm điểm sáng kiến: %(council)s") % {"council": council.name}
            body = _("Hạn chấm điểm: %(day)s. Vui lòng hoàn thành và nộp phiếu chấm.") % {
                "day": f"{deadline:%d/%m/%Y}"
            }
        with transaction.atomic():
            notify(
                recipients=[users[user_id] for user_id in per_user if user_id in users],
                title=title,
                body=body,
                url=reverse("initiatives:council_detail", args=[council.pk]),
            )

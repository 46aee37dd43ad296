"""What the dossiers' workflow puts on a person's home page: dossiers to confirm (a unit
head), to receive (the reform officer where they were sent), and their own dossiers returned
for completion (an author). Each kind is one query (``count_and_first``) on the filters of
the workflow rules (``dossiers.rules``), never an access decision of its own."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.models import User
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.initiatives.dossiers.rules import returned_to, to_confirm_by, to_receive_by
from caicach.initiatives.models import Initiative, InitiativeStatus


def _day(moment: datetime.datetime | None) -> str:
    return f"{timezone.localdate(moment):%d/%m/%Y}" if moment is not None else ""


def _sent(row: Initiative) -> str:
    return _("%(unit)s, gửi ngày %(day)s") % {
        "unit": row.unit.short_name or row.unit.name,
        "day": _day(row.submitted_at),
    }


def _returned(row: Initiative) -> str:
    return _("Trả lại ngày %(day)s") % {"day": _day(row.returned_at)}


def _dossiers(
    *,
    key: str,
    title: str | Promise,
    where: Q,
    status: str,
    limit: int,
    detail: Callable[[Initiative], str],
    order: str,
) -> TodoEntry | None:
    if where == NOTHING:
        return None  # the person holds no role for this kind: no query at all
    initiatives = (
        Initiative.objects.filter(where)
        .select_related("unit")
        .only("pk", "title", "status", "submitted_at", "returned_at", "unit__name", "unit__short_name")
        .order_by(order, "pk")
    )
    count, rows = count_and_first(initiatives, limit)
    items = [
        TodoItem(
            label=row.title, url=reverse("initiatives:initiative_detail", args=[row.pk]), detail=detail(row)
        )
        for row in rows
    ]
    more_url = reverse("initiatives:initiative_list") + "?" + urlencode({"status": status})
    return TodoEntry(key=key, title=title, count=count, items=items, more_url=more_url)


def dossiers_to_confirm(user: User, limit: int) -> TodoEntry | None:
    return _dossiers(
        key="initiatives.confirm",
        title=gettext_lazy("Hồ sơ sáng kiến chờ thủ trưởng xác nhận"),
        where=to_confirm_by(user),
        status=InitiativeStatus.AWAITING_CONFIRMATION,
        limit=limit,
        detail=_sent,
        order="submitted_at",  # the one waiting longest first
    )


def dossiers_to_receive(user: User, limit: int) -> TodoEntry | None:
    return _dossiers(
        key="initiatives.receive",
        title=gettext_lazy("Hồ sơ sáng kiến chờ tiếp nhận"),
        where=to_receive_by(user),
        status=InitiativeStatus.SUBMITTED,
        limit=limit,
        detail=_sent,
        order="submitted_at",
    )


def dossiers_returned(user: User, limit: int) -> TodoEntry | None:
    return _dossiers(
        key="initiatives.returned",
        title=gettext_lazy("Hồ sơ của bạn bị trả lại để bổ sung"),
        where=returned_to(user),
        status=InitiativeStatus.RETURNED,
        limit=limit,
        detail=_returned,
        order="returned_at",
    )

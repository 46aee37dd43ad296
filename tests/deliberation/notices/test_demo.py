"""The demo's meetings tell their story: a regular meeting each month of 2024 with its agenda
from the work program, late dossiers, one withdrawn item, wrong-level attendance, a thematic
and a Party-committee meeting, invitations and conclusion notices issued with 3–6 points."""

from __future__ import annotations

import time

import pytest
from django.db.models import Count, F
from django.test import Client

from caicach.core import clock
from caicach.core.demo import DEMO_PASSWORD
from caicach.deliberation.dossiers.queries import proposed_withdrawals_q
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    DossierEntry,
    Invitee,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
)
from caicach.deliberation.notices import demo
from caicach.deliberation.notices.queries import conclusion_points_for_tasks
from caicach.oversight.models import Task
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_meetings_tell_their_story(client: Client) -> None:
    load_demo()
    meetings = Meeting.objects.filter(date__year=2024, committee__code="TN")
    assert meetings.filter(kind=MeetingKind.REGULAR).count() == 12
    assert meetings.filter(kind=MeetingKind.THEMATIC).count() == 1
    assert meetings.filter(kind=MeetingKind.PARTY_COMMITTEE).count() == 1
    assert meetings.filter(status=MeetingStatus.CONCLUDED).count() == 13
    assert not AgendaItem.objects.filter(meeting__in=meetings, program_item=None).exists()
    withdrawn = AgendaItem.objects.get(meeting__in=meetings, status=AgendaStatus.WITHDRAWN)
    assert withdrawn.withdrawal_decision == "withdraw" and withdrawn.adjustment_request is not None
    late = DossierEntry.objects.filter(received_on__gt=F("agenda_item__dossier_due")).values("agenda_item")
    assert late.filter(agenda_item__meeting__date__year=2024).distinct().count() == 3
    # The one meeting ahead of the load day: two of its three items on the withdrawal list.
    ahead = Meeting.objects.get(date__gt=clock.today())
    assert ahead.agenda_items.filter(proposed_withdrawals_q(clock.today())).count() == 2
    assert Invitee.objects.filter(is_wrong_level=True).count() == 2
    issued = MeetingDocument.objects.filter(meeting__in=meetings, registered_document__isnull=False)
    assert issued.filter(kind="invitation").count() == 14
    assert issued.filter(kind="conclusion").count() == 13
    counts = (
        meetings.filter(status=MeetingStatus.CONCLUDED)
        .annotate(n=Count("conclusion_points"))
        .values_list("n", flat=True)
    )
    assert all(3 <= n <= 6 for n in counts)
    first = meetings.filter(status=MeetingStatus.CONCLUDED).order_by("date").first()
    assert first is not None
    points = conclusion_points_for_tasks(first)
    assert points and all(p.lead_unit_id and p.deadline and p.deadline.year == 2024 for p in points)
    # The Office opens the notice of the first meeting; its frozen file downloads.
    assert client.login(username="vanphong", password=DEMO_PASSWORD)
    page = client.get(f"/phien-hop/{first.pk}/ket-luan/")
    assert page.status_code == 200 and "TB-UBND" in page.content.decode()
    assert client.get(f"/phien-hop/{first.pk}/ket-luan/tai-ve/").status_code == 200
    # Loads once; again from scratch in a few seconds (27 DOCX frozen: most of the time).
    Task.objects.all().delete()  # the oversight demo's tasks hold the conclusion points
    Meeting.objects.all().delete()
    started = time.monotonic()
    demo.load_demo_meetings()
    assert time.monotonic() - started < 10
    total = Meeting.objects.count()
    demo.load_demo_meetings()
    assert Meeting.objects.count() == total == 14

"""The demo's 2024 work program tells a story at first glance: about sixty items across the
departments and the legacy district, most submitted or issued, some overdue, postponed and
withdrawn items each with the approved request behind them, and one request waiting."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caicach.core import clock
from caicach.core.demo import DEMO_PASSWORD
from caicach.core.models import AuditEvent, RegisteredDocument, User
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    WorkProgram,
)
from caicach.workprogram.programs.queries import overdue_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def program() -> WorkProgram:
    call_command("load_demo", stdout=io.StringIO())
    return WorkProgram.objects.get(year=2024)


def test_the_demo_program_tells_its_story(program: WorkProgram) -> None:
    """One demo load (it takes seconds) checked from every side."""
    check_items_across_departments_and_the_district(program)
    check_every_outcome(program)
    check_requests_behind_postponed_and_withdrawn_items(program)
    check_register_numbers_follow_their_dates()


def check_items_across_departments_and_the_district(program: WorkProgram) -> None:
    items = program.items.select_related("lead_unit")
    assert 55 <= items.count() <= 65
    lead_units = {item.lead_unit.code for item in items}
    assert "CT" in lead_units and len({code for code in lead_units if code.startswith("TN-S")}) >= 8
    assert program.issuing_unit.code == "TN" and program.decision_number == "3125/QĐ-UBND"
    assert all(item.supervising_leader_id and item.monitoring_officer_id for item in items)


def check_every_outcome(program: WorkProgram) -> None:
    statuses = Counter(program.items.values_list("status", flat=True))
    assert statuses[ItemStatus.ISSUED] >= 20 and statuses[ItemStatus.SUBMITTED] >= 8
    assert statuses[ItemStatus.POSTPONED] >= 2 and statuses[ItemStatus.WITHDRAWN] >= 2
    overdue = program.items.filter(overdue_q(clock.today()))
    assert 5 <= overdue.count() <= statuses[ItemStatus.PLANNED]
    late = [
        item
        for item in program.items.filter(submitted_on__isnull=False)
        if item.submitted_on is not None and item.submitted_on.month > item.due_month.month
    ]
    assert late, "some items were submitted after their due month"


def check_requests_behind_postponed_and_withdrawn_items(program: WorkProgram) -> None:
    for item in program.items.filter(status__in=[ItemStatus.POSTPONED, ItemStatus.WITHDRAWN]):
        request = item.adjustment_requests.get(status=RequestStatus.APPROVED)
        assert request.kind == (
            AdjustmentKind.POSTPONE if item.status == ItemStatus.POSTPONED else AdjustmentKind.WITHDRAW
        )
        assert request.request_document is not None and request.decision_document is not None
    for item in program.items.filter(status=ItemStatus.POSTPONED):
        assert item.due_month.year == 2025 and item.original_due_month.year == 2024
    pending = AdjustmentRequest.objects.get(status=RequestStatus.PENDING)
    assert pending.leader is not None and pending.leader.username == "lanhdao"
    assert AdjustmentRequest.objects.filter(status=RequestStatus.REJECTED).count() == 1
    # A member of staff's draft waits for the unit head: no number yet.
    draft = AdjustmentRequest.objects.get(status=RequestStatus.AWAITING_HEAD)
    assert draft.request_document is None and draft.requested_by.username == "canbo.skhcn"
    # Replayed on their dates: the requests, their decisions and the trail say 2024.
    for request in AdjustmentRequest.objects.exclude(pk=draft.pk).select_related("request_document"):
        assert request.request_document is not None
        assert timezone.localtime(request.created_at).date() == request.request_document.issued_on
        assert request.decided_at is None or request.decided_at.year == 2024
    assert (
        not AuditEvent.objects.filter(action__startswith="adjustment.")
        .exclude(created_at__year=2024)
        .exists()
    )
    assert program.items.exclude(created_at__year=2023).count() == 1  # the addition, in May
    added = AdjustmentRequest.objects.get(kind=AdjustmentKind.ADD)
    assert added.item is not None and added.item.status == ItemStatus.ISSUED


def check_register_numbers_follow_their_dates() -> None:
    # The work program's own Tờ trình and decision notices. Each demo loader walks 2024 on its
    # own, so the meetings demo (loaded after this one) numbers its conclusion notices in the
    # same TB register after these: across loaders the register is not in date order.
    requests = AdjustmentRequest.objects.all()
    own = [
        *requests.values_list("request_document", flat=True),
        *requests.values_list("decision_document", flat=True),
    ]
    documents_of_the_program = RegisteredDocument.objects.filter(pk__in=[pk for pk in own if pk is not None])
    by_register: dict[tuple[int, str], list[RegisteredDocument]] = {}
    for document in documents_of_the_program.filter(document_type__in=["TTr", "TB"]).order_by("number"):
        by_register.setdefault((document.unit_id, document.document_type), []).append(document)
    assert by_register
    for documents in by_register.values():
        dates = [document.issued_on for document in documents]
        assert dates == sorted(dates)


def test_the_leader_the_office_and_a_department_each_see_their_share(
    client: Client, program: WorkProgram
) -> None:
    assert client.login(username="lanhdao", password=DEMO_PASSWORD)
    page = client.get(reverse("workprogram:request_list"))
    assert [r.status for r in page.context["page_obj"].object_list] == [RequestStatus.PENDING]
    client.logout()
    assert client.login(username="vanphong", password=DEMO_PASSWORD)
    page = client.get(program.get_absolute_url())
    assert page.status_code == 200 and page.context["counts"]["total"] == program.items.count()
    assert page.context["page_obj"].paginator.count == program.items.count()
    client.logout()
    assert client.login(username="canbo.skhcn", password=DEMO_PASSWORD)
    page = client.get(program.get_absolute_url())
    science = User.objects.get(username="canbo.skhcn").unit
    assert science is not None
    own_or_coordinated = ProgramItem.objects.filter(program=program).filter(
        pk__in=[
            i.pk
            for i in program.items.all()
            if i.lead_unit_id == science.pk or science in i.coordinating_units.all()
        ]
    )
    assert page.context["counts"]["total"] == own_or_coordinated.count() < program.items.count()

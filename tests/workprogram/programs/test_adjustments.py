"""Adjustment requests (seed 001): a lead unit asks to add, change, postpone or withdraw an
item, naming an allowed reason and explaining the reason, the necessity and the impact; the
supervising leader decides; only approval changes the program. The Tờ trình and the notice
of the decision print in the Decree 30 layout."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from caicach.core import rendering
from caicach.core.models import AuditEvent, Notification
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
)
from caicach.workprogram.programs.documents import decision_spec, request_spec
from caicach.workprogram.programs.queries import request_detail_queryset
from caicach.workprogram.programs.services import (
    adjustment_request_approve,
    adjustment_request_file,
    adjustment_request_reject,
)
from tests.conftest import Org, People
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_signature_with_body, printed, text_faults
from tests.workprogram.factories import YEAR, Scene, file_request, make_scene, month, reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(lines)


def loaded(request: AdjustmentRequest) -> AdjustmentRequest:
    return request_detail_queryset().get(pk=request.pk)


# --- Filing --------------------------------------------------------------------------------------------


def test_filing_numbers_the_tờ_trình_tells_the_leader_and_changes_nothing_yet(
    scene: Scene, people: People
) -> None:
    item = scene.science_item
    request = file_request(item, people.unit_staff, proposed_month=datetime.date(YEAR, 5, 20))
    assert request.status == RequestStatus.PENDING
    assert request.proposed_month == month(5)  # always the first of the month
    assert request.leader == people.leader and request.lead_unit == item.lead_unit
    assert request.request_document is not None and request.request_document.reference == "01/TTr-SKHCN"
    assert request.request_document.issued_on == datetime.date(YEAR, 4, 10)
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED and item.due_month == month(3) and item.version == 1
    assert AuditEvent.objects.filter(action="adjustment.file", object_id=str(request.pk)).count() == 1
    notice = Notification.objects.get(recipient=people.leader)
    assert "01/TTr-SKHCN" in notice.body and notice.url == request.get_absolute_url()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"explanation": "   "}, "explanation"),
        ({"necessity": ""}, "necessity"),
        ({"impact": "\n"}, "impact"),
        ({"reason": None}, "reason"),
        ({"proposed_month": None}, "proposed_month"),
        ({"proposed_month": month(3)}, "proposed_month"),  # not after the current due month
        ({"proposed_month": month(2)}, "proposed_month"),
    ],
)
def test_a_postponement_without_its_justification_or_a_later_month_is_refused(
    scene: Scene, people: People, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        file_request(scene.science_item, people.unit_staff, **overrides)
    assert field in error.value.error_dict
    assert not AdjustmentRequest.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="adjustment.").exists()


def test_a_reason_the_office_retired_cannot_be_named(scene: Scene, people: People) -> None:
    retired = reason("steering_needs")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as error:
        file_request(scene.science_item, people.unit_staff, reason=retired)
    assert "reason" in error.value.error_dict


def test_an_item_has_one_pending_request_at_a_time(scene: Scene, people: People) -> None:
    first = file_request(scene.science_item, people.unit_staff)
    with pytest.raises(ValidationError):
        file_request(scene.science_item, people.unit_head, kind=AdjustmentKind.WITHDRAW)
    assert AdjustmentRequest.objects.count() == 1
    # The database refuses a second pending request too, should two filings race.
    with pytest.raises(IntegrityError), transaction.atomic():
        AdjustmentRequest.objects.create(
            program=first.program,
            item=first.item,
            kind=AdjustmentKind.WITHDRAW,
            reason=first.reason,
            explanation="x",
            necessity="x",
            impact="x",
            lead_unit=first.lead_unit,
            requested_by=people.unit_head,
        )
    adjustment_request_reject(
        actor=people.leader, request=first, note="Chưa đủ căn cứ.", version=first.version
    )
    assert file_request(scene.science_item, people.unit_head, kind=AdjustmentKind.WITHDRAW).pk != first.pk


def test_only_the_lead_units_people_file_and_only_for_planned_items(scene: Scene, people: People) -> None:
    with pytest.raises(PermissionDenied):
        file_request(scene.home_affairs_item, people.unit_staff)  # Home Affairs leads it, not Science
    with pytest.raises(PermissionDenied):
        file_request(scene.science_item, people.office_officer)
    with pytest.raises(ValidationError):
        file_request(scene.district_item, people.admin)  # no supervising leader to decide
    assert not AdjustmentRequest.objects.exists()


# --- Deciding ------------------------------------------------------------------------------------------


def test_approving_a_postponement_moves_the_due_month_and_keeps_the_history(
    scene: Scene, people: People
) -> None:
    request = file_request(scene.science_item, people.unit_staff, proposed_month=month(7))
    request = adjustment_request_approve(
        actor=people.leader,
        request=request,
        note="Đồng ý.",
        version=request.version,
        decided_on=datetime.date(YEAR, 4, 15),
    )
    item = ProgramItem.objects.get(pk=scene.science_item.pk)
    assert item.due_month == month(7) and item.original_due_month == month(3)
    assert item.status == ItemStatus.PLANNED  # still this year's program
    assert request.status == RequestStatus.APPROVED and request.decided_by == people.leader
    assert request.decision_document is not None and request.decision_document.reference == "01/TB-UBND"
    adjust = AuditEvent.objects.get(action="item.adjust", object_id=str(item.pk))
    assert adjust.changes["due_month"] == [month(3).isoformat(), month(7).isoformat()]
    assert "01/TTr-SKHCN" in adjust.message
    assert Notification.objects.filter(
        recipient=people.unit_staff, title__contains="được chấp thuận"
    ).exists()


def test_postponing_beyond_the_program_year_marks_the_item_postponed(scene: Scene, people: People) -> None:
    request = file_request(
        scene.science_item, people.unit_staff, proposed_month=datetime.date(YEAR + 1, 2, 1)
    )
    adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    item = ProgramItem.objects.get(pk=scene.science_item.pk)
    assert item.status == ItemStatus.POSTPONED and item.due_month == datetime.date(YEAR + 1, 2, 1)


def test_approving_a_withdrawal_withdraws_the_item(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_head, kind=AdjustmentKind.WITHDRAW)
    adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    item = ProgramItem.objects.get(pk=scene.science_item.pk)
    assert item.status == ItemStatus.WITHDRAWN and item.due_month == month(3)
    assert AuditEvent.objects.filter(action="item.adjust", object_id=str(item.pk)).count() == 1


def test_approving_a_change_updates_the_title_and_month_within_the_year(scene: Scene, people: People) -> None:
    with pytest.raises(ValidationError):
        file_request(scene.science_item, people.unit_staff, kind=AdjustmentKind.CHANGE)  # nothing to change
    request = file_request(
        scene.science_item,
        people.unit_staff,
        kind=AdjustmentKind.CHANGE,
        proposed_title="Đề án phát triển hệ sinh thái khởi nghiệp đến năm 2030",
        proposed_month=month(4),
    )
    adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    item = ProgramItem.objects.get(pk=scene.science_item.pk)
    assert item.title == "Đề án phát triển hệ sinh thái khởi nghiệp đến năm 2030"
    assert item.search_text.startswith("de an phat trien he sinh thai")
    assert item.due_month == month(4) and item.original_due_month == month(3)


def test_approving_an_addition_creates_the_item_led_by_the_requesting_unit(
    scene: Scene, org: Org, people: People
) -> None:
    request = adjustment_request_file(
        actor=people.unit_head,
        program=scene.program,
        kind=AdjustmentKind.ADD,
        lead_unit=org.science,
        reason=reason("leader_direction"),
        explanation="Theo chỉ đạo.",
        necessity="Cần thiết.",
        impact="Tích cực.",
        proposed_title="Đề án chuyển đổi số ngành khoa học",
        proposed_month=month(8),
        proposed_data={"submission_kind": "chairman", "coordinating_units": [org.home_affairs]},
        leader=people.leader,
    )
    assert request.item is None and scene.program.items.count() == 4
    request = adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    item = request.item
    assert item is not None and item.program == scene.program
    assert (item.title, item.lead_unit, item.supervising_leader) == (
        "Đề án chuyển đổi số ngành khoa học",
        org.science,
        people.leader,
    )
    assert item.submission_kind == "chairman" and item.due_month == item.original_due_month == month(8)
    assert list(item.coordinating_units.all()) == [org.home_affairs]
    assert item.position == 5


def test_an_addition_needs_a_title_a_month_of_the_year_and_a_leader(
    scene: Scene, org: Org, people: People
) -> None:
    with pytest.raises(ValidationError) as error:
        adjustment_request_file(
            actor=people.unit_head,
            program=scene.program,
            kind=AdjustmentKind.ADD,
            lead_unit=org.science,
            reason=reason(),
            explanation="a",
            necessity="b",
            impact="c",
            proposed_title="",
            proposed_month=datetime.date(YEAR + 1, 1, 1),
            leader=people.unit_staff,
        )
    assert {"proposed_title", "proposed_month", "leader"} <= set(error.value.error_dict)
    assert not AdjustmentRequest.objects.exists()


def test_a_rejection_needs_a_note_and_leaves_the_item_as_it_was(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_staff)
    with pytest.raises(ValidationError):
        adjustment_request_reject(actor=people.leader, request=request, note="  ", version=request.version)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.decision_document is None
    request = adjustment_request_reject(
        actor=people.leader, request=request, note="Đề nghị trình đúng hạn.", version=request.version
    )
    assert request.status == RequestStatus.REJECTED and request.decision_note == "Đề nghị trình đúng hạn."
    item = ProgramItem.objects.get(pk=scene.science_item.pk)
    assert item.due_month == month(3) and item.version == 1
    assert not AuditEvent.objects.filter(action="item.adjust").exists()
    assert AuditEvent.objects.filter(action="adjustment.reject", object_id=str(request.pk)).count() == 1
    assert Notification.objects.filter(
        recipient=people.unit_staff, title__contains="không được chấp thuận"
    ).exists()


def test_a_request_is_decided_once_and_not_from_a_stale_page(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_staff)
    with pytest.raises(ValidationError):
        adjustment_request_approve(actor=people.leader, request=request, version=request.version + 3)
    adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    with pytest.raises(ValidationError):
        adjustment_request_reject(
            actor=people.leader, request=request, note="Không.", version=request.version + 1
        )
    assert AuditEvent.objects.filter(action__in=["adjustment.approve", "adjustment.reject"]).count() == 1


def test_an_item_submitted_meanwhile_cannot_be_postponed(scene: Scene, people: People) -> None:
    from caicach.workprogram.programs.services import item_submit

    request = file_request(scene.science_item, people.unit_staff)
    item_submit(
        actor=people.office_officer,
        item=scene.science_item,
        submitted_on=datetime.date(YEAR, 3, 28),
        reference="9/TTr-SKHCN",
        version=1,
    )
    with pytest.raises(ValidationError):
        adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.decision_document is None


# --- Documents -----------------------------------------------------------------------------------------


def test_the_tờ_trình_carries_the_reason_necessity_and_impact(
    scene: Scene, people: People, tmp_path: Path
) -> None:
    request = loaded(file_request(scene.science_item, people.unit_head, proposed_month=month(6)))
    content = rendering.render_docx(request_spec(request))
    text = text_of(content)
    for expected in (
        "UBND TỈNH TÂY NINH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 01/TTr-SKHCN",
        "Tây Ninh, ngày 10 tháng 4 năm 2024",
        "TỜ TRÌNH",
        "Về việc đề nghị lùi thời gian trình nội dung “Đề án phát triển hệ sinh thái khởi nghiệp",
        "Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh.",
        "Căn cứ Quyết định số 3125/QĐ-UBND ngày 28/12/2023 của UBND tỉnh Tây Ninh ban hành",
        "Thời gian trình theo chương trình\n3/2024",
        "Thời gian trình đề nghị\n6/2024",
        "Lý do: Do nguyên nhân khách quan, bất khả kháng hoặc tình huống cấp bách.",
        "III. SỰ CẦN THIẾT\nBảo đảm nội dung trình phù hợp",
        "IV. TÁC ĐỘNG ĐẾN CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\nKhông ảnh hưởng",
        "GIÁM ĐỐC",
        "Phạm Thủ Trưởng",
        "- Lưu: VT, SKHCN.",
    ):
        assert expected in text, expected
    assert_passes_decree30(content, tmp_path)
    assert text_faults(text) == []
    assert_signature_with_body(
        printed(content), heading=("GIÁM ĐỐC",), name="Phạm Thủ Trưởng", closing="xem xét, quyết định./."
    )


def test_the_decision_notice_quotes_the_tờ_trình_and_the_leaders_note(
    scene: Scene, people: People, tmp_path: Path
) -> None:
    request = file_request(scene.science_item, people.unit_staff, proposed_month=month(6))
    with pytest.raises(ValueError):
        decision_spec(loaded(request))
    adjustment_request_approve(
        actor=people.leader,
        request=request,
        note="Đồng ý; đề nghị Sở trình đúng thời gian mới.",
        version=request.version,
        decided_on=datetime.date(YEAR, 4, 16),
    )
    content = rendering.render_docx(decision_spec(loaded(request)))
    text = text_of(content)
    for expected in (
        "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH",
        "Số: 01/TB-UBND",
        "Tây Ninh, ngày 16 tháng 4 năm 2024",
        "THÔNG BÁO",
        "Ý kiến của Phó Chủ tịch UBND tỉnh Tây Ninh Hoàng Chủ Tịch về việc đề nghị lùi thời gian trình",
        "Xét Tờ trình số 01/TTr-SKHCN ngày 10/4/2024 của Sở Khoa học và Công nghệ",
        "1. Chấp thuận đề nghị lùi thời gian trình",
        "thời gian trình: tháng 6/2024.",
        "2. Đồng ý; đề nghị Sở trình đúng thời gian mới.",
        # The committee's notice, signed by a vice-chairman for the chairman.
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Hoàng Chủ Tịch",
    ):
        assert expected in text, expected
    assert_passes_decree30(content, tmp_path)
    assert text_faults(text) == []
    assert_signature_with_body(
        printed(content), heading=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        name="Hoàng Chủ Tịch", closing="biết, thực hiện./.",
    )  # fmt: skip


def test_a_rejection_notice_says_so(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_staff)
    adjustment_request_reject(
        actor=people.leader, request=request, note="Chưa đủ căn cứ.", version=request.version
    )
    text = text_of(rendering.render_docx(decision_spec(loaded(request))))
    assert "1. Không chấp thuận đề nghị lùi thời gian trình" in text
    assert "2. Chưa đủ căn cứ." in text
    assert "Chấp thuận đề nghị" not in text.replace("Không chấp thuận đề nghị", "")

"""Meeting dossiers, service by service: the checklist by kind of submission, the Office
marking parts, and the chair's decision — keep, or withdraw with the program item moving
through the work program's adjustment path. Every refusal changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core import rendering
from caicach.core.models import AuditEvent, User
from caicach.deliberation.dossiers.queries import listed, withdrawal_list
from caicach.deliberation.dossiers.services import (
    agenda_item_decide_withdrawal,
    dossier_checklist_ensure,
    dossier_entry_add,
    dossier_entry_mark,
)
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    DossierEntry,
    DossierPart,
    MeetingStatus,
)
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
)
from caicach.workprogram.programs.documents import decision_spec
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.deliberation.dossiers.factories import (
    AFTER_TET,
    AFTER_TET_DUE,
    AFTER_TET_NEXT_WORKING_DAY,
    add_agenda_item,
    entry,
    make_meeting,
    pdf,
    receive,
)
from tests.deliberation.factories import Committee, make_committee, sent
from tests.documents import docx_text
from tests.refusals import assert_refused
from tests.workprogram.factories import add_item, make_program, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(org: Org, people: People) -> Committee:
    return make_committee(org, people)


@pytest.fixture
def program_item(org: Org, people: People) -> ProgramItem:
    program = make_program(org, people, year=2026)
    return add_item(
        program, people.admin, org.science, month(2, 2026), leader=people.leader, title="Đề án số hóa"
    )


def late_item(org: Org, people: People, committee: Committee, **extra: Any) -> AgendaItem:
    meeting = make_meeting(org.province, AFTER_TET, chair=committee.chairman)
    item = add_agenda_item(meeting, org.science, title="Đề án số hóa", **extra)
    receive(item, people.office_officer, AFTER_TET_NEXT_WORKING_DAY)
    return AgendaItem.objects.select_related("meeting").get(pk=item.pk)


def item_state(item: AgendaItem) -> Any:
    return AgendaItem.objects.values_list(
        "status", "withdrawal_decision", "version", "adjustment_request"
    ).get(pk=item.pk)


# --- The checklist ------------------------------------------------------------------------------------


def test_the_checklist_follows_the_kind_of_submission_and_is_made_once(org: Org) -> None:
    meeting = make_meeting(org.province, AFTER_TET)
    plain = add_agenda_item(meeting, org.science)
    assert list(plain.dossier_entries.values_list("part", "is_required")) == [
        (DossierPart.SUBMISSION, True),
        (DossierPart.DRAFT, True),
        (DossierPart.OPINIONS, True),
        (DossierPart.OTHER, False),
    ]
    assert dossier_checklist_ensure(plain) == []  # idempotent
    assert plain.dossier_entries.count() == 4
    plain.is_legal_document = True
    plain.save(update_fields=["is_legal_document"])
    added = dossier_checklist_ensure(plain)
    assert [(row.part, row.label) for row in added] == [(DossierPart.APPRAISAL, "Báo cáo thẩm định")]
    legal = add_agenda_item(meeting, org.science, is_legal_document=True)
    assert legal.dossier_entries.filter(part=DossierPart.APPRAISAL, is_required=True).exists()


# --- Marking ---------------------------------------------------------------------------------------------


def test_the_office_marks_a_part_received_with_its_file_on_todays_date(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science)
    row = entry(item, DossierPart.SUBMISSION)
    with on_day(AFTER_TET_DUE):
        marked = dossier_entry_mark(
            actor=people.office_officer,
            entry=row,
            status="received",
            version=row.version,
            upload=pdf("ttr.pdf"),
        )
    assert marked.status == "received" and marked.received_on == AFTER_TET_DUE
    assert marked.original_name == "ttr.pdf" and marked.size and marked.sha256
    assert AuditEvent.objects.filter(action="dossier_entry.mark").count() == 1
    # Back to pending: the day goes, the file stays (nothing lost).
    again = dossier_entry_mark(
        actor=people.office_officer, entry=marked, status="pending", version=marked.version
    )
    assert again.status == "pending" and again.received_on is None and again.file


def test_marking_received_needs_the_file_and_missing_needs_a_note(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science)
    row = entry(item, DossierPart.DRAFT)
    with pytest.raises(ValidationError) as error:
        dossier_entry_mark(actor=people.office_officer, entry=row, status="received", version=row.version)
    assert "Vui lòng đính kèm tệp hồ sơ đã nhận." in str(error.value)
    with pytest.raises(ValidationError) as error:
        dossier_entry_mark(actor=people.office_officer, entry=row, status="missing", version=row.version)
    assert "Vui lòng ghi rõ tài liệu còn thiếu" in str(error.value)
    missing = dossier_entry_mark(
        actor=people.office_officer, entry=row, status="missing", version=row.version, note="Chưa ký số"
    )
    assert missing.status == "missing" and missing.note == "Chưa ký số"
    with pytest.raises(ValidationError) as error:  # the form read before the change is stale
        dossier_entry_mark(actor=people.office_officer, entry=row, status="pending", version=row.version)
    assert DossierEntry.objects.get(pk=row.pk).status == "missing"


@pytest.mark.parametrize("persona", ["unit_head", "unit_staff", "committee_member", "outsider", "leader"])
def test_only_the_office_marks_a_part(org: Org, people: People, persona: str) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science)
    row = entry(item, DossierPart.SUBMISSION)
    actor: User = getattr(people, persona)
    assert_refused(
        lambda: dossier_entry_mark(
            actor=actor, entry=row, status="received", version=row.version, upload=pdf()
        ),
        lambda: list(DossierEntry.objects.values_list("status", "version", "file")),
    )


def test_a_held_meetings_dossier_is_closed(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET, status=MeetingStatus.HELD), org.science)
    row = entry(item, DossierPart.SUBMISSION)
    with pytest.raises(PermissionDenied):
        dossier_entry_mark(
            actor=people.office_officer, entry=row, status="received", version=row.version, upload=pdf()
        )


def test_the_office_adds_a_required_line_that_then_counts(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science, checklist=False)
    added = dossier_entry_add(
        actor=people.office_officer, agenda_item=item, label="Báo cáo đánh giá tác động"
    )
    assert added.is_required
    assert item.dossier_entries.count() == 5  # the standard lines were laid out first
    receive(item, people.office_officer, AFTER_TET_DUE, parts=("submission", "draft", "opinions"))
    with on_day(AFTER_TET_DUE + datetime.timedelta(days=1)):
        row = withdrawal_list(people.office_officer).get()
    assert listed([row])[0].state.reasons == ["Thiếu: Báo cáo đánh giá tác động"]
    with pytest.raises(ValidationError):
        dossier_entry_add(actor=people.office_officer, agenda_item=item, label="  ")


# --- The chair's decision -----------------------------------------------------------------------------


def test_the_chair_keeps_an_item_with_a_reason_and_it_leaves_the_list(
    org: Org, people: People, committee: Committee
) -> None:
    item = late_item(org, people, committee)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        with pytest.raises(ValidationError) as error:
            agenda_item_decide_withdrawal(
                actor=committee.chairman, agenda_item=item, decision="keep", note="", version=item.version
            )
        assert "Vui lòng ghi ý kiến của chủ trì." in str(error.value)
        kept = agenda_item_decide_withdrawal(
            actor=committee.chairman,
            agenda_item=item,
            decision="keep",
            note="Nội dung cấp bách, đã báo cáo Thường trực Tỉnh ủy",
            version=item.version,
        )
        assert kept.status == AgendaStatus.ON_AGENDA and kept.withdrawal_decided_by == committee.chairman
        assert not withdrawal_list(people.office_officer).exists()
        with pytest.raises(PermissionDenied):  # decided once
            agenda_item_decide_withdrawal(
                actor=committee.chairman,
                agenda_item=kept,
                decision="withdraw",
                note="x",
                version=kept.version,
            )
    assert AuditEvent.objects.filter(action="agenda_item.keep").count() == 1


def test_the_office_records_the_chairs_withdrawal_and_the_program_item_is_postponed(
    org: Org, people: People, committee: Committee, program_item: ProgramItem
) -> None:
    item = late_item(org, people, committee, program_item=program_item)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        withdrawn = agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Hồ sơ gửi chậm; trình phiên họp tháng 4",
            version=item.version,
            program_action="postpone",
            postpone_to=datetime.date(2026, 4, 1),
        )
    assert withdrawn.status == AgendaStatus.WITHDRAWN
    assert withdrawn.withdrawal_decided_by == committee.chairman
    request = withdrawn.adjustment_request
    assert request is not None
    assert request.kind == AdjustmentKind.POSTPONE and request.status == RequestStatus.APPROVED
    assert request.leader == committee.chairman and request.decided_by == committee.chairman
    assert request.decision_document is not None  # the committee's numbered notice
    assert request.reason.code == "leader_direction"
    assert "Phiên họp UBND tỉnh tháng 2/2026" in request.explanation
    assert "Hồ sơ đến Văn phòng ngày 23/02/2026, sau hạn 13/02/2026" in request.explanation
    program_item.refresh_from_db()
    assert program_item.due_month == datetime.date(2026, 4, 1)
    assert program_item.status == ItemStatus.PLANNED
    assert AuditEvent.objects.filter(action="item.adjust", object_id=str(program_item.pk)).exists()
    assert AuditEvent.objects.filter(action="agenda_item.withdraw").count() == 1


def test_the_chair_withdraws_an_item_from_the_program(
    org: Org, people: People, committee: Committee, program_item: ProgramItem
) -> None:
    item = late_item(org, people, committee, program_item=program_item)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        withdrawn = agenda_item_decide_withdrawal(
            actor=committee.chairman,
            agenda_item=item,
            decision="withdraw",
            note="Không còn phù hợp",
            version=item.version,
            program_action="withdraw",
        )
    assert withdrawn.adjustment_request is not None
    assert withdrawn.adjustment_request.kind == AdjustmentKind.WITHDRAW
    program_item.refresh_from_db()
    assert program_item.status == ItemStatus.WITHDRAWN
    assert program_item.due_month == datetime.date(2026, 2, 1)


def test_a_postponement_to_next_year_takes_the_item_out_of_this_years_program(
    org: Org, people: People, committee: Committee, program_item: ProgramItem
) -> None:
    item = late_item(org, people, committee, program_item=program_item)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Lùi sang năm 2027",
            version=item.version,
            program_action="postpone",
            postpone_to=datetime.date(2027, 3, 1),
        )
    program_item.refresh_from_db()
    assert program_item.status == ItemStatus.POSTPONED and program_item.due_month == datetime.date(2027, 3, 1)


def test_a_postponement_must_go_later_and_nothing_changes_when_it_does_not(
    org: Org, people: People, committee: Committee, program_item: ProgramItem
) -> None:
    item = late_item(org, people, committee, program_item=program_item)
    before = item_state(item), AuditEvent.objects.count()
    with on_day(AFTER_TET_NEXT_WORKING_DAY), pytest.raises(ValidationError) as error:
        agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Lùi",
            version=item.version,
            program_action="postpone",
            postpone_to=datetime.date(2026, 1, 1),
        )
    assert "phải sau thời gian trình hiện tại" in str(error.value)
    assert (item_state(item), AuditEvent.objects.count()) == before
    program_item.refresh_from_db()
    assert program_item.due_month == datetime.date(2026, 2, 1)


def test_a_submitted_program_item_cannot_be_moved(
    org: Org, people: People, committee: Committee, program_item: ProgramItem
) -> None:
    ProgramItem.objects.filter(pk=program_item.pk).update(status=ItemStatus.SUBMITTED)
    item = late_item(org, people, committee, program_item=program_item)
    with on_day(AFTER_TET_NEXT_WORKING_DAY), pytest.raises(ValidationError) as error:
        agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Rút",
            version=item.version,
            program_action="withdraw",
        )
    assert "Đã trình" in str(error.value)
    assert item_state(item)[0] == AgendaStatus.ON_AGENDA


def test_an_item_not_on_the_list_cannot_be_withdrawn(org: Org, people: People, committee: Committee) -> None:
    meeting = make_meeting(org.province, AFTER_TET, chair=committee.chairman)
    item = add_agenda_item(meeting, org.science)
    before = item_state(item)
    with on_day(AFTER_TET_DUE), pytest.raises(ValidationError) as error:  # the due day has not ended
        agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Rút",
            version=item.version,
        )
    assert "không có trong danh sách đề nghị rút" in str(error.value)
    assert item_state(item) == before


@pytest.mark.parametrize("persona", ["leader", "committee_member", "unit_head", "outsider"])
def test_only_the_chair_or_the_office_decides(
    org: Org, people: People, committee: Committee, persona: str
) -> None:
    item = late_item(org, people, committee)
    actor: User = getattr(people, persona)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        assert_refused(
            lambda: agenda_item_decide_withdrawal(
                actor=actor, agenda_item=item, decision="withdraw", note="Rút", version=item.version
            ),
            lambda: item_state(item),
        )


def test_the_notice_of_a_withdrawal_decided_at_the_meeting_passes_decree30_and_its_page_shows_no_tờ_trình(
    client: Any, org: Org, people: People, committee: Committee, program_item: ProgramItem, tmp_path: Any
) -> None:
    item = late_item(org, people, committee, program_item=program_item)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        withdrawn = agenda_item_decide_withdrawal(
            actor=people.office_officer,
            agenda_item=item,
            decision="withdraw",
            note="Hồ sơ gửi chậm.",
            version=item.version,
            program_action="withdraw",
        )
    assert withdrawn.adjustment_request_id is not None
    request = AdjustmentRequest.objects.select_related(
        "program__issuing_unit", "item", "lead_unit", "leader", "decided_by", "reason", "decision_document"
    ).get(pk=withdrawn.adjustment_request_id)
    content = rendering.render_docx(decision_spec(request))
    assert_passes_decree30(content, tmp_path)
    text = docx_text(content)
    assert f"Xét đề nghị của {org.science.name}" in text and "Tờ trình số" not in text
    client.force_login(people.office_officer)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Người ký Tờ trình" not in page and "Dự thảo Tờ trình" not in page
    assert "Phiên họp UBND tỉnh tháng 2/2026" in page


def test_the_summary_of_opinions_of_a_consultation_is_marked_without_a_file(org: Org, people: People) -> None:
    consultation = sent(org, people)
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science, consultation=consultation)
    row = entry(item, DossierPart.OPINIONS)
    with on_day(AFTER_TET_DUE):
        marked = dossier_entry_mark(
            actor=people.office_officer, entry=row, status="received", version=row.version
        )
    assert marked.status == "received" and not marked.file

"""The rules of the meeting documents' services: each refusal says why in Vietnamese and
changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.models import Notification, RegisteredDocument
from caicach.deliberation.models import ConclusionPoint, MeetingDocument, MeetingStatus
from caicach.deliberation.notices.queries import conclusion_points_for_tasks
from caicach.deliberation.notices.services import (
    PointDraft,
    conclusion_issue,
    conclusion_save,
    invitation_issue,
    invitation_save,
)
from tests.conftest import Org, People, on_day
from tests.deliberation.notices.factories import (
    AFTER,
    DRAFTED_ON,
    MEETING_DAY,
    concluded_draft,
    drafted_invitation,
    invited,
    points,
    scene,
)

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_issuing_the_invitation_numbers_freezes_moves_and_tells(org: Org, people: People) -> None:
    s = scene(org, people)
    invited(s, people)
    document = MeetingDocument.objects.get(meeting=s.meeting, kind="invitation")
    assert document.registered_document is not None
    assert document.registered_document.reference == "01/GM-UBND"
    assert document.document_file
    assert document.signer == s.committee.chairman and document.signer_title == "CHỦ TỊCH"
    assert s.meeting.status == MeetingStatus.INVITED
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"truongdonvi", "thanhvien", "chutich"} <= told  # invited unit's head, members
    assert "nguoingoai" not in told


def test_issuing_twice_is_refused(org: Org, people: People) -> None:
    s = scene(org, people)
    invited(s, people)
    document = MeetingDocument.objects.get(meeting=s.meeting, kind="invitation")
    with on_day(DRAFTED_ON), pytest.raises(ValidationError) as error:
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=document.version)
    assert "đã được ban hành" in messages_of(error.value)
    assert RegisteredDocument.objects.count() == 1


def test_a_stale_draft_is_refused(org: Org, people: People) -> None:
    s = scene(org, people)
    drafted_invitation(s, people)
    with on_day(DRAFTED_ON), pytest.raises(ValidationError) as error:
        invitation_save(actor=people.office_officer, meeting=s.meeting, version=0, summary="Khác")
    assert "người khác thay đổi" in messages_of(error.value)
    with on_day(DRAFTED_ON), pytest.raises(ValidationError):
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=99)
    assert MeetingDocument.objects.get().summary == ""
    assert not RegisteredDocument.objects.exists()


def test_only_the_chosen_signer_issues(org: Org, people: People) -> None:
    s = scene(org, people)
    drafted_invitation(s, people)
    document = MeetingDocument.objects.get()
    for someone in (people.office_officer, people.leader, s.chief):
        with on_day(DRAFTED_ON), pytest.raises(PermissionDenied):
            invitation_issue(actor=someone, meeting=s.meeting, version=document.version)
    assert not RegisteredDocument.objects.exists()
    s.meeting.refresh_from_db()
    assert s.meeting.status == MeetingStatus.SCHEDULED


def test_the_signer_must_be_a_leader_or_the_offices_chief(org: Org, people: People) -> None:
    s = scene(org, people)
    with on_day(DRAFTED_ON), pytest.raises(ValidationError) as error:
        invitation_save(actor=people.office_officer, meeting=s.meeting, version=0, signer=people.unit_head)
    assert "Người ký phải là lãnh đạo UBND" in messages_of(error.value)
    assert not MeetingDocument.objects.exists()


def test_only_the_office_drafts(org: Org, people: People) -> None:
    s = scene(org, people)
    for someone in (s.committee.chairman, people.unit_head, people.committee_member):
        with on_day(DRAFTED_ON), pytest.raises(PermissionDenied):
            invitation_save(actor=someone, meeting=s.meeting, version=0)
    assert not MeetingDocument.objects.exists()


def test_an_invitation_without_agenda_or_after_the_day_is_refused(org: Org, people: People) -> None:
    s = scene(org, people, items=0)
    drafted_invitation(s, people)
    document = MeetingDocument.objects.get()
    with on_day(DRAFTED_ON), pytest.raises(ValidationError) as error:
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=document.version)
    assert "chưa có nội dung nào" in messages_of(error.value)
    with on_day(AFTER), pytest.raises(ValidationError) as error:
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=document.version)
    assert "Phiên họp đã qua" in messages_of(error.value)
    assert not RegisteredDocument.objects.exists()


def test_no_conclusion_before_the_meeting(org: Org, people: People) -> None:
    s = scene(org, people)
    invited(s, people)
    with on_day(MEETING_DAY - datetime.timedelta(days=1)), pytest.raises(ValidationError) as error:
        conclusion_save(actor=people.office_officer, meeting=s.meeting, version=0, points=points(org, s))
    assert "Phiên họp chưa diễn ra" in messages_of(error.value)
    assert not ConclusionPoint.objects.exists()


def test_a_held_meeting_takes_its_conclusion_even_on_its_day(org: Org, people: People) -> None:
    s = scene(org, people, status=MeetingStatus.HELD)
    with on_day(MEETING_DAY):
        conclusion_save(actor=people.office_officer, meeting=s.meeting, version=0, points=points(org, s))
    assert ConclusionPoint.objects.count() == 3


def test_points_are_checked(org: Org, people: People) -> None:
    s = scene(org, people)
    concluded_draft(org, people, s, count=2)
    document = MeetingDocument.objects.get(kind="conclusion")
    bad = [
        PointDraft(content=" ", lead_unit=org.science),
        PointDraft(content="Giao việc", lead_unit=org.other_commune.parent and org.district_home_affairs),
        PointDraft(content="Giao việc", lead_unit=org.science, deadline=datetime.date(2024, 10, 1)),
    ]
    with on_day(AFTER), pytest.raises(ValidationError) as error:
        conclusion_save(actor=people.office_officer, meeting=s.meeting, version=document.version, points=bad)
    text = messages_of(error.value)
    assert "Nội dung 1: vui lòng nhập nội dung kết luận." in text
    assert "Nội dung 2: “Phòng Nội vụ huyện Châu Thành” không thuộc UBND" in text
    assert "Nội dung 3: thời hạn không được trước ngày họp." in text
    assert ConclusionPoint.objects.count() == 2


def test_a_conclusion_without_points_is_not_issued(org: Org, people: People) -> None:
    s = scene(org, people)
    invited(s, people)
    with on_day(AFTER):
        document = conclusion_save(
            actor=people.office_officer, meeting=s.meeting, version=0, points=[], signer=s.chief
        )
        with pytest.raises(ValidationError) as error:
            conclusion_issue(actor=s.chief, meeting=s.meeting, version=document.version)
    assert "chưa có nội dung kết luận nào" in messages_of(error.value)
    assert RegisteredDocument.objects.count() == 1  # the invitation only


def test_issuing_the_conclusion_freezes_its_points(org: Org, people: People) -> None:
    s = scene(org, people)
    concluded_draft(org, people, s)
    document = MeetingDocument.objects.get(kind="conclusion")
    assert conclusion_points_for_tasks(s.meeting) == []  # not before it is issued
    with on_day(AFTER):
        conclusion_issue(actor=s.chief, meeting=s.meeting, version=document.version)
    document.refresh_from_db()
    assert document.registered_document is not None
    assert document.registered_document.reference == "01/TB-UBND"
    assert document.signer_authority == "TL. CHỦ TỊCH" and document.signer_title == "CHÁNH VĂN PHÒNG"
    s.meeting.refresh_from_db()
    assert s.meeting.status == MeetingStatus.CONCLUDED
    tasks = conclusion_points_for_tasks(s.meeting)
    assert [p.position for p in tasks] == [1, 2, 3]
    assert tasks[0].lead_unit == org.home_affairs and tasks[0].deadline == datetime.date(2024, 11, 16)
    with on_day(AFTER), pytest.raises(ValidationError) as error:
        conclusion_save(actor=people.office_officer, meeting=s.meeting, version=document.version, points=[])
    assert "đã được ban hành" in messages_of(error.value)
    assert ConclusionPoint.objects.count() == 3


def test_a_point_list_saved_again_replaces_and_reorders(org: Org, people: People) -> None:
    s = scene(org, people)
    concluded_draft(org, people, s)
    document = MeetingDocument.objects.get(kind="conclusion")
    reordered = list(reversed(points(org, s)))[:2]
    with on_day(AFTER):
        conclusion_save(
            actor=people.office_officer,
            meeting=s.meeting,
            version=document.version,
            points=reordered,
            signer=s.chief,
        )
    rows = list(ConclusionPoint.objects.order_by("position"))
    assert [row.content[-30:] for row in rows] == [p.content[-30:] for p in reordered]
    assert [row.coordinating_units.count() for row in rows] == [1, 1]


def test_a_vice_chairman_signs_for_the_chairman(org: Org, people: People) -> None:
    s = scene(org, people)
    drafted_invitation(s, people, signer=people.leader)
    document = MeetingDocument.objects.get()
    with on_day(DRAFTED_ON):
        invitation_issue(actor=people.leader, meeting=s.meeting, version=document.version)
    document.refresh_from_db()
    assert document.signer_authority == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"
    assert document.signer_title == "PHÓ CHỦ TỊCH" and document.signer_name == "Hoàng Chủ Tịch"


def test_nothing_is_drafted_for_a_cancelled_meeting(org: Org, people: People) -> None:
    s = scene(org, people, status=MeetingStatus.CANCELLED)
    with on_day(DRAFTED_ON), pytest.raises(ValidationError) as error:
        invitation_save(actor=people.office_officer, meeting=s.meeting, version=0)
    assert "Phiên họp đã hủy." in messages_of(error.value)
    assert not MeetingDocument.objects.exists()


def test_the_signer_finds_the_draft_among_their_todos(org: Org, people: People, committed: Any) -> None:
    from caicach.deliberation.notices.queries import documents_to_sign

    s = scene(org, people)
    drafted_invitation(s, people)
    entry = documents_to_sign(s.committee.chairman, 5)
    assert entry is not None and entry.count == 1 and "Giấy mời" in entry.items[0].label
    assert documents_to_sign(people.leader, 5) is None  # not their signature
    assert documents_to_sign(people.unit_staff, 5) is None  # no signing role: no query
    with on_day(DRAFTED_ON), committed():
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=1)
    assert documents_to_sign(s.committee.chairman, 5) is None

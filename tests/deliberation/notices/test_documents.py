"""The invitation and the conclusion notice as printed: what they say, the Decree 30/2020
checker, the signature block kept with the end of the body."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from caicach.deliberation.models import MeetingDocument, MeetingKind
from caicach.deliberation.notices.services import conclusion_issue
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.deliberation.notices.factories import AFTER, concluded_draft, invited, scene, withdraw
from tests.documents import assert_clean_text, assert_signature_with_body, docx_text, printed

pytestmark = pytest.mark.django_db


def frozen(document: MeetingDocument) -> bytes:
    with default_storage.open(document.document_file, "rb") as handle:
        content: bytes = handle.read()
    return content


def issued_invitation(org: Org, people: People) -> bytes:
    s = scene(org, people, items=3)
    withdraw(s.items[1])
    invited(s, people)
    return frozen(s.meeting.documents.get(kind="invitation"))


def issued_notice(org: Org, people: People) -> bytes:
    s = scene(org, people)
    concluded_draft(org, people, s)
    document = s.meeting.documents.get(kind="conclusion")
    with on_day(AFTER):
        conclusion_issue(actor=s.chief, meeting=s.meeting, version=document.version)
    document.refresh_from_db()
    return frozen(document)


def test_the_invitation_says_who_when_where_and_what(org: Org, people: People) -> None:
    text = docx_text(issued_invitation(org, people))
    assert "GIẤY MỜI" in text
    assert "Số: 01/GM-UBND" in text
    assert "Các thành viên Ủy ban nhân dân;" in text
    assert "Thủ trưởng Sở Khoa học và Công nghệ;" in text
    assert "Lãnh đạo Sở Nội vụ." in text
    assert "08 giờ 00, thứ Ba, ngày 15/10/2024" in text
    assert "Phòng họp số 1" in text
    assert "Nguyễn Chủ Tịch" in text
    assert "1. Dự thảo Nghị quyết số 1" in text and "(cơ quan chủ trì: Sở Khoa học và Công nghệ)" in text
    assert "Nghị quyết số 2" not in text  # withdrawn
    assert "2. Dự thảo Nghị quyết số 3" in text
    assert "đúng thành phần" in text
    assert "DỰ THẢO" not in text


def test_a_working_session_invites_the_units_not_the_whole_committee(org: Org, people: People) -> None:
    s = scene(org, people)
    s.meeting.kind = MeetingKind.WORKING_SESSION
    s.meeting.save()
    invited(s, people)
    text = docx_text(frozen(s.meeting.documents.get(kind="invitation")))
    assert "Các thành viên Ủy ban nhân dân" not in text
    assert "Thủ trưởng Sở Khoa học và Công nghệ;" in text


def test_a_working_session_without_invitees_still_says_who_is_invited(org: Org, people: People) -> None:
    s = scene(org, people)
    s.meeting.kind = MeetingKind.WORKING_SESSION
    s.meeting.save()
    s.meeting.invitees.all().delete()
    invited(s, people)
    text = docx_text(frozen(s.meeting.documents.get(kind="invitation")))
    assert "- Lãnh đạo các cơ quan có nội dung tại buổi làm việc." in text


def test_the_invitation_passes_decree30(org: Org, people: People, tmp_path: Path) -> None:
    content = issued_invitation(org, people)
    assert_passes_decree30(content, tmp_path)
    assert_clean_text(content)


def test_the_invitations_signature_stays_with_the_body(org: Org, people: People) -> None:
    assert_signature_with_body(
        printed(issued_invitation(org, people)),
        heading=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        name="Nguyễn Chủ Tịch",
        closing="đúng giờ",
    )


def test_the_notice_prints_each_point_with_its_lead_unit_and_deadline(org: Org, people: People) -> None:
    text = docx_text(issued_notice(org, people))
    assert "THÔNG BÁO" in text
    assert "Số: 01/TB-UBND" in text
    assert "1. Giao hoàn thiện nội dung thứ 1, trình UBND tỉnh xem xét." in text
    assert "Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: Sở Khoa học và Công nghệ" in text
    assert "thời hạn hoàn thành: trước ngày 16/11/2024" in text
    assert "3. Giao hoàn thiện" in text
    assert "TL. CHỦ TỊCH" in text and "CHÁNH VĂN PHÒNG" in text


def test_the_notice_passes_decree30(org: Org, people: People, tmp_path: Path) -> None:
    content = issued_notice(org, people)
    assert_passes_decree30(content, tmp_path)
    assert_clean_text(content)


def test_the_notices_signature_stays_with_the_body(org: Org, people: People) -> None:
    assert_signature_with_body(
        printed(issued_notice(org, people)),
        heading=["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"],
        name="Lê Chánh Văn",
        closing="biết, thực hiện",
    )

"""What the council prints: a member's scoring sheet, the blank sheet for paper scoring, and
the minutes of the meeting numbered "BB" from the register — DOCX in the Decree 30 layout,
PDF through LibreOffice with exact Vietnamese."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from caicach.core import rendering
from caicach.core.models import AuditEvent, Job, JobStatus, RegisteredDocument
from caicach.initiatives.models import Council, Initiative, RecognitionLevel, ReviewAssignment
from caicach.initiatives.review.documents import blank_sheet_for, minutes_for, sheet_for
from caicach.initiatives.review.services import (
    minutes_issue,
    recognition_record,
    review_assign,
    review_submit,
    round_close,
)
from tests.conftest import Org, People
from tests.decree30 import assert_passes_decree30
from tests.documents import (
    assert_signature_with_body,
    docx_text,
    needs_soffice,
    pdf_text,
    printed,
    text_faults,
)
from tests.initiatives.factories import Board, make_board, make_dossier


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(lines)


@pytest.fixture
def board(org: Org, people: People) -> Board:
    return make_board(org, people)


@pytest.fixture
def dossiers(board: Board, org: Org, people: People) -> list[Initiative]:
    found = [
        make_dossier(
            board.campaign, org.commune, title="Ứng dụng Zalo trong tiếp nhận phản ánh của người dân"
        ),
        make_dossier(board.campaign, org.commune, title="Sổ tay điện tử thủ tục hành chính"),
    ]
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    return found


SCORES = {  # per dossier, per member: novelty, effectiveness, replicability
    0: (("25", "35", "25.5"), ("22", "30", "24"), ("26", "36", "27"), ("24", "33", "25")),
    1: (("10", "15", "10"), ("12", "14", "9"), ("8", "16", "10"), ("11", "15", "9.5")),
}
SEATS = ("chair_seat", "secretary_seat", "member_seat", "colleague_seat")


def score_all(board: Board, dossiers: list[Initiative]) -> None:
    criteria = list(board.rubric.criteria.order_by("position").values_list("pk", flat=True))
    for index, dossier in enumerate(dossiers):
        for seat, values in zip(SEATS, SCORES[index], strict=True):
            sheet = ReviewAssignment.objects.get(initiative=dossier, member=getattr(board, seat))
            review_submit(
                assignment=sheet,
                actor=sheet.member.user,
                version=sheet.version,
                comment="Giải pháp thiết thực, dễ nhân rộng.",
                points=dict(zip(criteria, (Decimal(v) for v in values), strict=True)),
            )


def decide(board: Board, dossiers: list[Initiative]) -> Council:
    score_all(board, dossiers)
    round_close(council=board.council, actor=board.secretary)
    recognition_record(
        initiative=dossiers[0], actor=board.secretary, members_present=4, votes_for=4, votes_against=0,
        level=RecognitionLevel.PROVINCIAL, reasons="",
    )  # fmt: skip
    recognition_record(
        initiative=dossiers[1], actor=board.secretary, members_present=4, votes_for=1, votes_against=3,
        level="", reasons="Chưa chứng minh được hiệu quả",
    )  # fmt: skip
    Council.objects.filter(pk=board.council.pk).update(meeting_place="Hội trường Sở Nội vụ")
    return Council.objects.get(pk=board.council.pk)


def test_a_members_sheet_shows_the_criteria_their_points_and_signature(
    board: Board, dossiers: list[Initiative]
) -> None:
    score_all(board, dossiers)
    sheet = ReviewAssignment.objects.get(initiative=dossiers[0], member=board.member_seat)
    text = text_of(rendering.render_docx(sheet_for(board.member, sheet.pk)))
    for expected in (
        "UBND TỈNH TÂY NINH",
        "HỘI ĐỒNG SÁNG KIẾN",
        "PHIẾU CHẤM ĐIỂM SÁNG KIẾN",
        "Họ và tên thành viên Hội đồng: Đỗ Thành Viên",
        "Tên sáng kiến: Ứng dụng Zalo trong tiếp nhận phản ánh của người dân",
        "Tính mới\n- 21–30 điểm: Có tính mới trong phạm vi tỉnh",
        "Khả năng nhân rộng",
        "Tổng cộng\n100\n89",
        "Giải pháp thiết thực, dễ nhân rộng.",
        "NGƯỜI CHẤM ĐIỂM\n(Ký và ghi rõ họ tên)",
    ):
        assert expected in text, expected
    assert "\n26\n" in text and "\n36\n" in text and "\n27\n" in text


def test_the_blank_sheet_has_no_points_and_room_to_write(board: Board, dossiers: list[Initiative]) -> None:
    text = text_of(rendering.render_docx(blank_sheet_for(board.member, board.council.pk, dossiers[0].pk)))
    assert "PHIẾU CHẤM ĐIỂM SÁNG KIẾN" in text and "Họ và tên thành viên Hội đồng: ....." in text
    assert "Tổng cộng\n100\n" in text and "Tính mới\n- 21–30 điểm" in text
    assert "Đỗ Thành Viên" not in text


def test_sheets_are_sealed_like_the_scores(board: Board, dossiers: list[Initiative], people: People) -> None:
    sheet = ReviewAssignment.objects.get(initiative=dossiers[0], member=board.member_seat)
    for other in (board.chair, people.reform_officer, people.outsider):
        with pytest.raises(Http404):
            sheet_for(other, sheet.pk)
    with pytest.raises(Http404):
        blank_sheet_for(people.outsider, board.council.pk, dossiers[0].pk)
    with pytest.raises(Http404):
        minutes_for(board.secretary, board.council.pk)  # the round is open


def test_the_minutes_are_numbered_bb_once_every_vote_is_recorded(
    board: Board, dossiers: list[Initiative], people: People
) -> None:
    score_all(board, dossiers)
    round_close(council=board.council, actor=board.secretary)
    recognition_record(
        initiative=dossiers[0], actor=board.secretary, members_present=4, votes_for=3, votes_against=1,
        level=RecognitionLevel.GRASSROOTS, reasons="",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        minutes_issue(council=board.council, actor=board.secretary)
    assert "Còn 1 hồ sơ" in error.value.messages[0]
    recognition_record(
        initiative=dossiers[1], actor=board.secretary, members_present=4, votes_for=0, votes_against=4,
        level="", reasons="Điểm thấp",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        minutes_issue(council=board.council, actor=board.member)
    council = minutes_issue(council=board.council, actor=board.secretary)
    assert council.minutes is not None and council.minutes.reference == "01/BB-UBND"
    assert council.minutes.unit == board.campaign.issuing_unit
    assert RegisteredDocument.objects.filter(document_type="BB").count() == 1
    assert AuditEvent.objects.filter(action="council.minutes_issue", object_id=str(council.pk)).exists()
    with pytest.raises(ValidationError):
        minutes_issue(council=council, actor=board.secretary)


def test_the_minutes_record_the_meeting_the_scores_and_the_votes(
    board: Board, dossiers: list[Initiative], tmp_path: Path
) -> None:
    council = decide(board, dossiers)
    minutes_issue(council=council, actor=board.secretary)
    content = rendering.render_docx(minutes_for(board.secretary, council.pk))
    text = text_of(content)
    for expected in (
        "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH",
        "Số: 01/BB-UBND",
        "BIÊN BẢN\nHọp hội đồng sáng kiến tỉnh Tây Ninh",
        # What the cited decision decided, not its number alone.
        "Căn cứ Quyết định số 12/QĐ-UBND về việc thành lập Hội đồng sáng kiến tỉnh Tây Ninh;",
        "tại Hội trường Sở Nội vụ, Hội đồng sáng kiến tỉnh Tây Ninh họp xét công nhận sáng kiến",
        "I. THÀNH PHẦN THAM DỰ\n- Lâm Chủ Tịch, Chủ tịch Hội đồng;\n- Võ Hội Đồng, Thư ký Hội đồng;",
        "(thang điểm 100, điểm đạt 50)",
        "ít nhất 2/3 số thành viên dự họp tán thành",
        "Hội đồng thống nhất đề nghị công nhận 1 sáng kiến và không công nhận 1 sáng kiến",
        "“Sổ tay điện tử thủ tục hành chính”: Chưa chứng minh được hiệu quả.",
        "Lưu: VT, HĐSK.",
    ):
        assert expected in text, expected
    # The secretary and the chair sign side by side, in one row that never splits.
    signatures = docx.Document(io.BytesIO(content)).tables[-1].rows[0]
    secretary, chair = ([p.text for p in cell.paragraphs if p.text] for cell in signatures.cells)
    assert secretary == ["THƯ KÝ HỘI ĐỒNG", "Võ Hội Đồng"]
    assert chair == ["CHỦ TỊCH HỘI ĐỒNG", "Lâm Chủ Tịch"]
    assert text_faults(docx_text(content)) == []
    # The table in ranking order: mean 83.125 -> 83,13 first with 4/4, then 34.875 -> 34,88.
    table = docx.Document(io.BytesIO(content)).tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][3] == "Điểm TB"
    assert rows[1][1].startswith("Ứng dụng Zalo") and rows[1][3:] == ["83,13", "4/4", "Công nhận (Cấp tỉnh)"]
    assert rows[2][3:] == ["34,88", "1/4", "Không công nhận"]
    assert_passes_decree30(content, tmp_path)


@pytest.fixture
def vietnamese_serif(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """LibreOffice printing Times New Roman with a font that has every Vietnamese letter.
    Debian's fonts-liberation (Liberation Serif 1.x) lacks them: LibreOffice then draws them
    from another font and the PDF's text layer comes out of order. On such a machine,
    fontconfig is pointed at a Vietnamese-capable serif, so the test checks our document,
    not the machine's font packages (a server needs fonts-liberation2 or Times New Roman)."""
    if rendering.soffice_binary() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("fc-match") is None:
        return
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "Times New Roman"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found or rendering._covers_vietnamese(found):
        return
    serif = rendering.find_serif_font()
    if serif is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern">
    <test qual="any" name="family"><string>Times New Roman</string></test>
    <edit name="family" mode="assign" binding="strong"><string>{serif.family}</string></edit>
  </match>
  <selectfont><rejectfont><glob>{Path(found).parent}/{Path(found).name.split("-")[0]}*</glob></rejectfont></selectfont>
</fontconfig>
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))


@pytest.mark.usefixtures("vietnamese_serif")
def test_libreoffice_prints_the_minutes_and_the_sheet_with_exact_vietnamese(
    board: Board, dossiers: list[Initiative]
) -> None:
    council = decide(board, dossiers)
    minutes_issue(council=council, actor=board.secretary)
    text = pdf_text(rendering.render_pdf(rendering.render_docx(minutes_for(board.secretary, council.pk))))
    for expected in (
        "BIÊN BẢN",
        "Số: 01/BB-UBND",
        "Độc lập - Tự do - Hạnh phúc",
        "THÀNH PHẦN THAM DỰ",
        "Ứng dụng Zalo trong tiếp nhận phản ánh của người dân",
        "Võ Hội Đồng",
        "Lưu: VT, HĐSK.",
    ):
        assert expected in text, expected
    sheet = ReviewAssignment.objects.get(initiative=dossiers[0], member=board.colleague_seat)
    text = pdf_text(rendering.render_pdf(rendering.render_docx(sheet_for(board.colleague, sheet.pk))))
    for expected in (
        "PHIẾU CHẤM ĐIỂM SÁNG KIẾN",
        "Mai Đồng Nghiệp",
        "Khả năng nhân rộng",
        "NGƯỜI CHẤM ĐIỂM",
    ):
        assert expected in text, expected


@needs_soffice
def test_the_minutes_and_a_sheet_print_their_signatures_with_the_body(
    board: Board, dossiers: list[Initiative], tmp_path: Path
) -> None:
    council = decide(board, dossiers)
    minutes_issue(council=council, actor=board.secretary)
    minutes = rendering.render_docx(minutes_for(board.secretary, council.pk))
    for name in ("Võ Hội Đồng", "Lâm Chủ Tịch"):
        assert_signature_with_body(
            printed(minutes), heading=("THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG"), name=name,
            closing="thống nhất nội dung./.",
        )  # fmt: skip
    sheet = ReviewAssignment.objects.get(initiative=dossiers[0], member=board.member_seat)
    content = rendering.render_docx(sheet_for(board.member, sheet.pk))
    assert_passes_decree30(content, tmp_path, form=True)
    assert text_faults(docx_text(content)) == []
    assert_signature_with_body(
        printed(content), heading=("NGƯỜI CHẤM ĐIỂM", "(Ký và ghi rõ họ tên)"), name="Đỗ Thành Viên",
        closing="Giải pháp thiết thực",
    )  # fmt: skip


def test_documents_download_and_pdfs_are_made_in_the_background(
    client: Client,
    board: Board,
    dossiers: list[Initiative],
    people: People,
    django_capture_on_commit_callbacks: Any,
) -> None:
    council = decide(board, dossiers)
    sheet = ReviewAssignment.objects.get(initiative=dossiers[0], member=board.member_seat)
    client.force_login(board.member)
    response = client.get(reverse("initiatives:review_sheet", args=[sheet.pk]))
    assert response.status_code == 200 and response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
    assert "attachment;" in response["Content-Disposition"]
    response = client.get(reverse("initiatives:blank_sheet", args=[council.pk, dossiers[1].pk]))
    assert "Sổ tay điện tử thủ tục hành chính" in text_of(response.content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("initiatives:review_sheet_pdf", args=[sheet.pk]))
    job = Job.objects.get(kind="initiatives.review_pdf")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.result_name.endswith(".pdf")
    client.force_login(people.outsider)
    assert client.post(reverse("initiatives:review_sheet_pdf", args=[sheet.pk])).status_code == 404
    assert client.post(reverse("initiatives:council_minutes_pdf", args=[council.pk])).status_code == 404

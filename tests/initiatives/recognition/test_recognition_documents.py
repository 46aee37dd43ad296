"""What recognition prints, read back: the decision (Decree 30 layout, passes the checker),
the refusal letter with its reasons, and the effectiveness report in seed 000's layout."""

from __future__ import annotations

import datetime
import io
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ValidationError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

from caicach.core import rendering
from caicach.core.models import Unit
from caicach.initiatives.models import Campaign, Council, RecognitionDecision, RecognitionLevel
from caicach.initiatives.recognition.documents import (
    authority_line,
    decision_spec,
    decision_subtitle,
    effectiveness_report_docx,
    format_share,
    refusal_letter_docx,
    refusal_letter_spec,
)
from caicach.initiatives.recognition.queries import (
    campaign_council,
    decision_recognitions,
    decisions_with_relations,
    recognitions_with_relations,
    reports_with_relations,
)
from caicach.initiatives.recognition.services import (
    effectiveness_report_create,
    effectiveness_report_submit,
    recognition_decision_issue,
    refusal_letter_issue,
)
from tests.conftest import Org, People
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_signature_with_body, docx_text, printed, text_faults
from tests.initiatives.factories import DECISION_DAY, council_for, dossier, issued_campaign, outcome
from tests.initiatives.factories import RECOGNITION_SEED_TITLE as SEED_TITLE


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(lines)


def body_text(content: bytes) -> str:
    """Paragraphs in reading order, tables included (the header is a table)."""
    document = docx.Document(io.BytesIO(content))
    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(DocxParagraph(child, document).text)
        elif tag == "tbl":
            table = DocxTable(child, document)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    out += [p.text for p in cell.paragraphs]
    return "\n".join(out)


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


@pytest.fixture
def council(campaign: Campaign) -> Council:
    return council_for(campaign, minutes_day=datetime.date(2024, 9, 10))


@pytest.fixture
def decision(campaign: Campaign, council: Council, org: Org, people: People) -> RecognitionDecision:
    outcome(dossier(campaign, org.science), recognised=True)
    outcome(
        dossier(
            campaign, org.commune, title="Số hóa hồ sơ một cửa cấp xã",
            authors=[("Trần Văn Một", "100", None)],
        ),
        recognised=True, level=RecognitionLevel.PROVINCIAL,
    )  # fmt: skip
    outcome(dossier(campaign, org.commune, title="Không đạt"), recognised=False, reasons="Không mới.")
    made = recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
    )  # fmt: skip
    return decisions_with_relations().get(pk=made.pk)


def decision_docx(decision: RecognitionDecision) -> bytes:
    spec = decision_spec(decision, decision_recognitions(decision), campaign_council(decision.campaign_id))
    return rendering.render_docx(spec)


# --- The decision ---------------------------------------------------------------------------------------


def test_the_decision_passes_the_decree_30_checker(decision: RecognitionDecision, tmp_path: Path) -> None:
    assert_passes_decree30(decision_docx(decision), tmp_path)
    assert text_faults(docx_text(decision_docx(decision))) == []


def test_the_decision_prints_its_signature_on_one_page_with_the_body(decision: RecognitionDecision) -> None:
    assert_signature_with_body(
        printed(decision_docx(decision)), heading=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), name="Nguyễn Văn Thành",
        closing="chịu trách nhiệm thi hành Quyết định",
    )  # fmt: skip


def test_the_decision_reads_as_a_decision_recognising_the_listed_initiatives(
    decision: RecognitionDecision,
) -> None:
    text = body_text(decision_docx(decision))
    for expected in (
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH",
        "Số: 01/QĐ-UBND",
        "Châu Thành, ngày 16 tháng 9 năm 2024",
        "QUYẾT ĐỊNH\nVề việc công nhận sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024 "
        "trên địa bàn huyện Châu Thành",
        # The Law on Local Government Organisation first, then the initiative rules.
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02 tháng 3 năm 2012 của Chính phủ ban hành Điều lệ Sáng "
        "kiến;",
        "Căn cứ Thông tư số 18/2013/TT-BKHCN ngày 01 tháng 8 năm 2013",
        "Căn cứ Kế hoạch số 01/KH-UBND ngày 10/5/2024 của Ủy ban nhân dân huyện Châu Thành về phát động "
        "sáng kiến",
        "Căn cứ kết quả họp xét công nhận sáng kiến ngày 10/9/2024 của Hội đồng sáng kiến huyện Châu Thành;",
        "Theo đề nghị của Phòng Nội vụ huyện Châu Thành.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Công nhận 02 sáng kiến",
        "STT\nTên sáng kiến\nTác giả (tỷ lệ đóng góp)\nĐơn vị\nCấp công nhận",
        f"1\n{SEED_TITLE}\nLê Tuấn Phú (30%)\nNguyễn Phương Thảo (30%)\nĐông Thị Huệ (40%)\n"
        "Sở Khoa học và Công nghệ\nCấp cơ sở",
        "2\nSố hóa hồ sơ một cửa cấp xã\nTrần Văn Một (100%)\nỦy ban nhân dân xã Hảo Đước\nCấp tỉnh",
        "Điều 2. Các tác giả có sáng kiến được công nhận tại Điều 1",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng Phòng Nội vụ huyện Châu Thành",
        "Nơi nhận:\n- Như Điều 3;\n- Hội đồng sáng kiến huyện Châu Thành;\n- Lưu: VT, PNV.",
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
    ):
        assert expected in text, expected
    assert "Không đạt" not in text
    assert text == unicodedata.normalize("NFC", text)


def test_the_decision_cites_the_council_minutes_when_there_are_some(
    decision: RecognitionDecision, council: Council, org: Org, people: People
) -> None:
    from caicach.core.numbering import register_number

    council.minutes = register_number(
        unit=org.district, document_type="BB", year=2024, title="Biên bản họp Hội đồng sáng kiến",
        issued_on=datetime.date(2024, 9, 10), actor=people.admin,
    )  # fmt: skip
    council.save(update_fields=["minutes"])
    text = text_of(decision_docx(decision))
    assert "Căn cứ Biên bản số 01/BB-UBND ngày 10/9/2024 của Hội đồng sáng kiến huyện Châu Thành" in text


def _libreoffice_prints_vietnamese() -> bool:
    """LibreOffice draws Times New Roman with itself or Liberation Serif: without a version of
    either that has the Vietnamese letters it patches glyphs from other fonts, and the text
    of the PDF comes out scrambled whatever the document says."""
    font = rendering.find_serif_font()
    return (
        shutil.which("soffice") is not None
        and font is not None
        and font.family in ("Times New Roman", "Liberation Serif")
    )


@pytest.mark.skipif(
    not _libreoffice_prints_vietnamese(),
    reason="no LibreOffice with a Vietnamese Times New Roman/Liberation Serif",
)
def test_libreoffice_opens_the_decision_with_exact_vietnamese(decision: RecognitionDecision) -> None:
    pdf = rendering.render_pdf(decision_docx(decision))
    text = " ".join(
        unicodedata.normalize(
            "NFC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        ).split()
    )
    for expected in (
        "QUYẾT ĐỊNH",
        "Số: 01/QĐ-UBND",
        "Đông Thị Huệ (40%)",
        "Nguyễn Phương Thảo (30%)",
        "Cấp tỉnh",
    ):
        assert expected in text, expected


def test_the_subtitle_and_authority_follow_the_data(campaign: Campaign, org: Org) -> None:
    campaign.title = "Sáng kiến cải cách hành chính năm 2025"
    assert (
        decision_subtitle(campaign)
        == "Về việc công nhận sáng kiến theo Kế hoạch số 01/KH-UBND ngày 10/5/2024"
    )
    assert (
        authority_line("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", org.district) == "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH"
    )
    assert authority_line("", "GIÁM ĐỐC", org.home_affairs) == "GIÁM ĐỐC SỞ NỘI VỤ"
    assert authority_line("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", org.home_affairs) == "GIÁM ĐỐC SỞ NỘI VỤ"
    assert format_share(Decimal("33.33")) == "33,33%"
    assert format_share(Decimal("40.00")) == "40%"


# --- The refusal letter ---------------------------------------------------------------------------------


def test_the_refusal_letter_is_a_numbered_letter_giving_the_reasons(
    campaign: Campaign, council: Council, org: Org, people: People, tmp_path: Path
) -> None:
    recognition = outcome(
        dossier(campaign, org.science), recognised=False, members_present=5, votes_for=2,
        reasons="- Giải pháp chưa có tính mới trong phạm vi huyện.\n- Chưa được áp dụng thử.",
    )  # fmt: skip
    refusal_letter_issue(
        recognition=recognition, actor=people.reform_officer, issued_on=datetime.date(2024, 9, 20)
    )
    loaded = recognitions_with_relations().get(pk=recognition.pk)
    content = refusal_letter_docx(refusal_letter_spec(loaded, campaign_council(campaign.pk)))
    text = body_text(content)
    for expected in (
        "Số: 01/UBND-PNV\nV/v trả lời đơn yêu cầu công nhận sáng kiến",
        "Châu Thành, ngày 20 tháng 9 năm 2024",
        "Kính gửi:\n- Ông (Bà) Lê Tuấn Phú (Văn phòng UBND tỉnh);",
        "- Ông (Bà) Đông Thị Huệ (Văn phòng UBND tỉnh);",
        f"Ủy ban nhân dân huyện Châu Thành nhận được Đơn yêu cầu công nhận sáng kiến “{SEED_TITLE}” của "
        "nhóm tác giả Lê Tuấn Phú, Nguyễn Phương Thảo và Đông Thị Huệ.",
        "của Hội đồng sáng kiến huyện Châu Thành (2/5 thành viên dự họp tán thành)",
        "không được công nhận là sáng kiến, với các lý do:",
        "- Giải pháp chưa có tính mới trong phạm vi huyện.\n- Chưa được áp dụng thử.",
        "Nơi nhận:\n- Như trên;\n- Sở Khoa học và Công nghệ;\n- Lưu: VT, PNV.",
        # A letter in the committee's name, signed by a vice-chairman for the chairman.
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    ):
        assert expected in text, expected
    assert "CV-" not in text
    assert_passes_decree30(content, tmp_path)
    assert text_faults(docx_text(content)) == []
    # A letter has no title: the first paragraph after the header is the addressee.
    document = docx.Document(io.BytesIO(content))
    first_body_paragraph = next(p for p in document.paragraphs if p.text.strip())
    assert first_body_paragraph.text == "Kính gửi:"


# --- The effectiveness report (seed 000) --------------------------------------------------------------


def test_the_effectiveness_report_follows_seed_000(
    campaign: Campaign, org: Org, people: People, tmp_path: Path
) -> None:
    from caicach.core.models import Role
    from tests.core.factories import person

    author = person("hue", org.science, Role.UNIT_STAFF, full_name="Đông Thị Huệ")
    initiative = dossier(campaign, org.science, author_user=author)
    outcome(initiative, recognised=True)
    report = effectiveness_report_create(
        initiative=initiative, actor=author,
        data={
            "effectiveness": "Giúp nâng cao hiệu quả quản lý.\nCác sở, ngành đã chủ động thực hiện.",
            "replicability": "Sáng kiến đã triển khai trên toàn tỉnh.",
            "confirmed_by_name": "Phạm Văn Đà",
        },
    )  # fmt: skip
    effectiveness_report_submit(report=report, actor=author, version=report.version)
    loaded = reports_with_relations().get(pk=report.pk)
    document = effectiveness_report_docx(loaded)
    text = body_text(document.content)
    for expected in (
        "BÁO CÁO\nHiệu quả áp dụng, khả năng nhân rộng của sáng kiến",
        "I-THÔNG TIN CHUNG",
        f"1. Tên sáng kiến: {SEED_TITLE}",
        "2. Tác giả sáng kiến hoặc các đồng tác giả sáng kiến (nếu có) và tỷ lệ đóng góp của từng đồng tác "
        "giả",
        "Số TT\nHọ và tên\nNgày tháng năm sinh\nNơi công tác (hoặc nơi thường trú)\nChức danh\nTrình độ "
        "chuyên môn\nTỷ lệ (%)\nNội dung đóng góp vào việc tạo ra sáng kiến",
        "1\nLê Tuấn Phú\n28/01/1967\nVăn phòng UBND tỉnh\nChuyên viên\nThạc sỹ\n30%\nĐóng góp vào nội dung "
        "của Sáng kiến",
        "2\nNguyễn Phương Thảo\n03/7/1982",
        "3\nĐông Thị Huệ\n30/6/1989",
        "3. Nội dung, bản chất của sáng kiến\nSáng kiến tập trung vào việc nâng cao hiệu quả thực thi",
        "4. Thời gian áp dụng sáng kiến (ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử): 29/02/2024.",
        "II-ĐÁNH GIÁ HIỆU QUẢ ÁP DỤNG, KHẢ NĂNG NHÂN RỘNG CỦA SÁNG KIẾN\n1. Về hiệu quả áp dụng\n"
        "Giúp nâng cao hiệu quả quản lý.\nCác sở, ngành đã chủ động thực hiện.",
        "2. Về khả năng nhân rộng\nSáng kiến đã triển khai trên toàn tỉnh.",
    ):
        assert expected in text, expected
    assert document.filename.endswith(".docx")
    # Seed 000: the unit's confirmation under signature and seal beside the representative,
    # the names level.
    signatures = docx.Document(io.BytesIO(document.content)).tables[-1].rows[0].cells
    unit, authors = ([p.text for p in cell.paragraphs] for cell in signatures)
    assert [line for line in unit if line] == ["Xác nhận của cơ quan, đơn vị", "(Chữ ký, dấu)", "Phạm Văn Đà"]
    assert [line for line in authors if line] == ["Đại diện nhóm tác giả", "Đông Thị Huệ"]
    assert unit.index("Phạm Văn Đà") == authors.index("Đông Thị Huệ")
    assert_passes_decree30(document.content, tmp_path, form=True)
    assert text_faults(docx_text(document.content)) == []
    assert_signature_with_body(
        printed(document.content), heading=("Xác nhận của cơ quan, đơn vị", "Đại diện nhóm tác giả"),
        name="Đông Thị Huệ", closing="triển khai trên toàn tỉnh",
    )  # fmt: skip


def test_a_unit_without_a_symbol_cannot_number_a_decision(
    campaign: Campaign, org: Org, people: People
) -> None:
    Unit.objects.filter(pk=org.district.pk).update(document_symbol="")
    outcome(dossier(campaign, org.science), recognised=True)
    campaign.issuing_unit.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa có ký hiệu"):
        recognition_decision_issue(
            campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
            signer_authority="", signer_title="CHỦ TỊCH", signer_name="",
        )  # fmt: skip
    assert not RecognitionDecision.objects.exists()

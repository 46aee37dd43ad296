"""The Decree 30/2020 rendering service: layout, dates, Unicode, DOCX → PDF."""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from caicach.core import rendering
from caicach.core.document_numbers import reference
from caicach.core.models import Unit
from caicach.core.rendering import (
    DocumentSpec,
    Heading,
    IssuingBody,
    Run,
    Signature,
    Table,
    bullet,
    date_parts,
    para,
    place_date_line,
    render,
    render_docx,
)
from tests.decree30 import assert_passes_decree30, decree30_failures, needs_checker
from tests.documents import (
    assert_signature_with_body,
    docx_text,
    needs_soffice,
    pdf_text,
    printed,
    text_faults,
)


def docx_lines(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return [line for text in lines for line in text.split("\n")]


def plan_spec(**overrides: object) -> DocumentSpec:
    values: dict[str, object] = {
        "issuing_body": IssuingBody(name="ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH"),
        "title": "Kế hoạch",
        "subtitle": "Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024",
        "place": "Châu Thành",
        "issued_on": datetime.date(2024, 2, 5),
        "document_type": "KH",
        "symbol": "KH-UBND",
        "number": 5,
        "body": (
            para("Thực hiện Quyết định số 299/QĐ-UBND ngày 02/02/2024;"),
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Heading("1. Mục đích", level=2),
            bullet("Thời gian từ ngày ", Run("15/5/2024 đến hết ngày 25/6/2024", bold=True), "."),
            Heading("a) Phần trình bày:", level=3),
            Table(header=("STT", "Họ và tên", "Tỷ lệ (%)"), rows=(("1", "Nguyễn Thị Hường", "100"),)),
            para("Trên đây là Kế hoạch./."),
        ),
        "signature": Signature(authority="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name="Trần Văn Ước"),
        "recipients": ("Sở Nội vụ;", "UBND các xã, thị trấn;", "Lưu: VT, PNV."),
    }
    values.update(overrides)
    return DocumentSpec(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 2, 5), ("05", "02", "2026")),
        (datetime.date(2026, 1, 31), ("31", "01", "2026")),
        (datetime.date(2024, 5, 15), ("15", "5", "2024")),
        (datetime.date(2024, 3, 9), ("09", "3", "2024")),
        (datetime.date(2024, 12, 1), ("01", "12", "2024")),
        (datetime.date(2024, 10, 10), ("10", "10", "2024")),
    ],
)
def test_date_parts_pad_days_below_10_and_only_january_and_february(
    day: datetime.date, expected: tuple[str, str, str]
) -> None:
    assert date_parts(day) == expected


def test_place_date_line_reads_like_the_decree_example() -> None:
    assert place_date_line("Châu Thành", datetime.date(2026, 2, 5)) == "Châu Thành, ngày 05 tháng 02 năm 2026"
    assert place_date_line("Tây Ninh", datetime.date(2024, 11, 22)) == "Tây Ninh, ngày 22 tháng 11 năm 2024"


def test_short_date_in_the_text_follows_the_same_padding() -> None:
    assert rendering.short_date(datetime.date(2024, 5, 15)) == "15/5/2024"
    assert rendering.short_date(datetime.date(2024, 2, 2)) == "02/02/2024"


@needs_checker
def test_a_plan_passes_the_decree_30_checker(tmp_path: Path) -> None:
    assert_passes_decree30(render_docx(plan_spec()), tmp_path)


@needs_checker
def test_a_form_without_number_or_recipients_passes_as_a_form(tmp_path: Path) -> None:
    spec = plan_spec(
        title="Đơn yêu cầu công nhận sáng kiến",
        numbered=False,
        with_recipients=False,
        recipients=(),
        signature=Signature(title="Người nộp đơn", name="Nguyễn Văn A"),
    )
    content = render_docx(spec)
    assert_passes_decree30(content, tmp_path, form=True)
    assert not any(line.startswith("Số:") for line in docx_lines(content))
    assert "Nơi nhận:" not in docx_lines(content)


@needs_checker
def test_the_checker_would_catch_a_broken_layout(tmp_path: Path) -> None:
    """Guards the guard: an unpadded number fails the same check the plan passes."""
    broken = render_docx(plan_spec(symbol="kh"))
    assert any("number line" in line for line in decree30_failures(broken, tmp_path))


def test_the_header_carries_body_motto_number_and_date() -> None:
    lines = docx_lines(render_docx(plan_spec()))
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN CHÂU THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND",
        "Châu Thành, ngày 05 tháng 02 năm 2024",
        "KẾ HOẠCH",
        "Nơi nhận:",
        "- Lưu: VT, PNV.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Ước",
    ):
        assert expected in lines


def test_a_draft_leaves_number_and_day_blank() -> None:
    lines = docx_lines(render_docx(plan_spec(number=None, issued_on=None, year=2024)))
    assert any(line.startswith("Số:") and line.endswith("/KH-UBND") and "0" not in line for line in lines)
    assert "Châu Thành, ngày      tháng      năm 2024" in lines


def test_decomposed_input_comes_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Phát động sáng kiến cải cách hành chính")
    spec = plan_spec(subtitle=decomposed, body=(para(decomposed), bullet(Run(decomposed, bold=True))))
    lines = docx_lines(render_docx(spec))
    composed = unicodedata.normalize("NFC", decomposed)
    assert composed in lines
    assert f"- {composed}" in lines
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_every_run_is_times_new_roman_in_every_script_slot() -> None:
    content = render_docx(plan_spec())
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    document = docx.Document(io.BytesIO(content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = xml.count("<w:r>") + xml.count("<w:r ")
    assert runs > 20
    assert xml.count('w:eastAsia="Times New Roman"') >= runs
    assert "Calibri" not in xml and "Cambria" not in xml


def test_page_is_a4_with_decree_margins_and_numbers_from_page_two() -> None:
    document = docx.Document(io.BytesIO(render_docx(plan_spec())))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)  # fmt: skip
    assert [round((v or 0) / 36000) for v in sizes] == [210, 297, 20, 20, 30, 15]
    assert section.different_first_page_header_footer is True
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_body_paragraphs_are_justified_with_a_first_line_indent() -> None:
    document = docx.Document(io.BytesIO(render_docx(plan_spec())))
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Quyết định"))
    assert body.paragraph_format.alignment == 3  # justify
    assert round(body.paragraph_format.first_line_indent / 36000, 1) == 12.7
    title = next(p for p in document.paragraphs if p.text == "KẾ HOẠCH")
    assert all(run.bold for run in title.runs)
    date = next(p for t in document.tables for c in t._cells for p in c.paragraphs if "ngày 05" in p.text)
    assert all(run.italic for run in date.runs)


def test_filenames_are_ascii_and_readable() -> None:
    assert render(plan_spec(), "docx").filename == "KH-05-2024-phat-dong-sang-kien.docx"
    assert rendering.filename_for(plan_spec(number=None), "pdf") == "KH-du-thao-phat-dong-sang-kien.pdf"
    assert rendering.filename_for(plan_spec(document_type="QĐ", subtitle="Về việc công nhận"), "docx") == (
        "QD-05-2024-ve-viec-cong-nhan.docx"
    )


def test_docx_download_has_the_word_content_type() -> None:
    document = render(plan_spec(), "docx")
    assert document.content_type == rendering.DOCX_CONTENT_TYPE
    assert document.content.startswith(b"PK")


@needs_soffice
def test_libreoffice_converts_the_docx_with_exact_vietnamese(settings: Any) -> None:
    text = pdf_text(rendering.render_pdf(render_docx(plan_spec())))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND",
        "Châu Thành, ngày 05 tháng 02 năm 2024",
        "KẾ HOẠCH",
        "Nguyễn Thị Hường",
    ):
        assert expected in text


def test_a_failing_libreoffice_gives_a_clear_error(settings: Any, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'broken profile' >&2\nexit 3\n")
    fake.chmod(0o755)
    settings.SOFFICE_BINARY = str(fake)
    with pytest.raises(rendering.RenderingError, match="exit 3"):
        rendering.render_pdf(render_docx(plan_spec()))


def test_without_libreoffice_pdf_falls_back_to_reportlab_with_the_same_diacritics(
    settings: Any,
) -> None:
    if rendering.find_serif_font() is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    document = render(plan_spec(), "pdf")
    assert document.content_type == rendering.PDF_CONTENT_TYPE
    assert document.filename.endswith(".pdf")
    text = pdf_text(document.content)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND",
        "Châu Thành, ngày 05 tháng 02 năm 2024",
        "KẾ HOẠCH",
        "Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "Trần Văn Ước",
    ):
        assert expected in text


def test_without_libreoffice_or_font_pdf_is_unavailable(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    monkeypatch.setattr(rendering, "find_serif_font", lambda: None)
    with pytest.raises(rendering.RenderingUnavailable):
        render(plan_spec(), "pdf")
    assert render(plan_spec(), "docx").content  # DOCX never needs either


def test_a_vietnamese_font_is_chosen_only_if_it_draws_vietnamese() -> None:
    font = rendering.find_serif_font()
    if font is None:
        pytest.skip("no serif font on this machine")
    assert rendering._covers_vietnamese(font.regular)


# --- The issuing body: both spellings of "Ủy ban" ---------------------------------------------

SPELLINGS = ["Ủy ban nhân dân", "Uỷ ban nhân dân", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"]


@pytest.mark.parametrize("committee", SPELLINGS)
def test_a_committee_names_itself_on_two_lines_whatever_the_spelling(committee: str) -> None:
    for name in (
        f"{committee} huyện Châu Thành",
        unicodedata.normalize("NFD", f"{committee} huyện Châu Thành"),
    ):
        body = rendering.issuing_body_for(Unit(name=name))
        assert (body.superior, body.name) == ("", "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH")


@pytest.mark.parametrize("committee", SPELLINGS)
def test_a_department_shortens_its_committee_whatever_the_spelling(committee: str) -> None:
    province = Unit(pk=1, name=f"{committee} tỉnh Tây Ninh")
    body = rendering.issuing_body_for(Unit(name="Sở Nội vụ", parent=province))
    assert (body.superior, body.name) == ("UBND TỈNH TÂY NINH", "SỞ NỘI VỤ")


@pytest.mark.parametrize("committee", ["Ủy ban nhân dân", "Uỷ ban nhân dân"])
def test_committee_short_abbreviates_the_committee_wherever_it_stands(committee: str) -> None:
    assert rendering.committee_short(f"{committee} huyện Châu Thành") == "UBND huyện Châu Thành"
    assert rendering.committee_short(f"Văn phòng {committee} tỉnh") == "Văn phòng UBND tỉnh"
    assert rendering.committee_short("Sở Nội vụ") == "Sở Nội vụ"
    assert rendering.committee_locality(f"{committee} xã Hảo Đước") == "xã Hảo Đước"
    assert rendering.committee_locality(f"Văn phòng {committee} tỉnh") is None
    assert rendering.committee_locality(committee) is None


def test_the_number_line_and_the_register_write_numbers_the_same_way() -> None:
    assert reference(5, "KH-UBND") == "05/KH-UBND"
    assert reference(12, "QĐ-UBND") == "12/QĐ-UBND"
    assert plan_spec(number=5, symbol="KH-UBND").number_line == f"Số: {reference(5, 'KH-UBND')}"


@needs_soffice
def test_the_signature_block_lands_on_one_page_with_the_last_paragraph_wherever_the_body_ends() -> None:
    """Bodies of growing length push the signature across the page break: LibreOffice must
    move the whole block (title, signing space, name) with the closing paragraph, never
    leave the name alone on the next page."""
    spilled = False
    for lines in range(14, 28, 2):
        body = (*(para(f"Dòng nội dung thứ {i}.") for i in range(lines)), para("Trên đây là Kế hoạch./."))
        pages = printed(render_docx(plan_spec(body=body)))
        spilled |= len(pages) > 1
        assert_signature_with_body(
            pages,
            heading=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Trần Văn Ước",
            closing="Trên đây là Kế hoạch",
        )
    assert spilled, "no body was long enough to reach page 2: the test proves nothing"


@needs_soffice
def test_two_signatures_side_by_side_stay_on_one_page_with_the_body() -> None:
    body = (*(para(f"Dòng nội dung thứ {i}.") for i in range(17)), para("Biên bản được thông qua./."))
    spec = plan_spec(
        body=body,
        signature=Signature(title="Chủ tịch Hội đồng", name="Trương Văn Hòa"),
        left_signature=Signature(title="Thư ký Hội đồng", name="Lý Thị Ngọc Ánh"),
    )
    for name in ("Trương Văn Hòa", "Lý Thị Ngọc Ánh"):
        assert_signature_with_body(
            printed(render_docx(spec)), heading=("THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG"), name=name,
            closing="Biên bản được thông qua",
        )  # fmt: skip


# --- Signatures as offices sign ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "authority", "for_committee", "expected"),
    [
        ("PHÓ CHỦ TỊCH", "", True, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"),
        ("Phó Chủ tịch", "KT. CHỦ TỊCH", True, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"),
        ("CHỦ TỊCH", "", True, "TM. ỦY BAN NHÂN DÂN"),
        ("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", True, "TM. ỦY BAN NHÂN DÂN"),
        ("PHÓ CHỦ TỊCH", "", False, "KT. CHỦ TỊCH"),
        ("PHÓ GIÁM ĐỐC", "", False, "KT. GIÁM ĐỐC"),
        ("GIÁM ĐỐC", "", False, ""),
        ("CHÁNH VĂN PHÒNG", "TL. CHỦ TỊCH", False, "TL. CHỦ TỊCH"),
    ],
)
def test_the_signature_follows_from_the_signers_title(
    title: str, authority: str, for_committee: bool, expected: str
) -> None:
    signature = rendering.signature_as_signed(
        title=title, name="Trần Văn Ước", authority=authority, for_committee=for_committee
    )
    assert signature.authority == expected
    assert signature.heading_lines[-1] == title.upper()


def test_a_form_has_the_motto_alone_and_its_date_over_the_signer(tmp_path: Path) -> None:
    spec = plan_spec(
        title="Đơn yêu cầu công nhận sáng kiến", subtitle="", numbered=False, with_recipients=False,
        recipients=(), agency_header=False,
        signature=Signature(
            title="Người nộp đơn", name="Nguyễn Văn A", note="(Ký và ghi rõ họ tên)", capitals=False
        ),
    )  # fmt: skip
    content = render_docx(spec)
    lines = [line for line in docx_text(content).splitlines() if line.strip()]
    assert lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "HUYỆN CHÂU THÀNH" not in lines
    assert lines[-4:] == [
        "Châu Thành, ngày 05 tháng 02 năm 2024", "Người nộp đơn", "(Ký và ghi rõ họ tên)", "Nguyễn Văn A"
    ]  # fmt: skip
    assert_passes_decree30(content, tmp_path, form=True)


def test_a_second_signature_sits_left_and_the_recipients_under_both(tmp_path: Path) -> None:
    spec = plan_spec(
        signature=Signature(title="Chủ tịch Hội đồng", name="Trương Văn Hòa"),
        left_signature=Signature(title="Thư ký Hội đồng", name="Lý Thị Ngọc Ánh"),
    )
    document = docx.Document(io.BytesIO(render_docx(spec)))
    rows = document.tables[-1].rows
    (secretary, chair), (recipients, _empty) = ([c.text for c in row.cells] for row in rows)
    assert secretary.split("\n")[0] == "THƯ KÝ HỘI ĐỒNG" and secretary.endswith("Lý Thị Ngọc Ánh")
    assert chair.split("\n")[0] == "CHỦ TỊCH HỘI ĐỒNG" and chair.endswith("Trương Văn Hòa")
    assert recipients.startswith("Nơi nhận:")
    # Both names stand level: as many lines above each.
    assert secretary.count("\n") == chair.count("\n")
    assert_passes_decree30(render_docx(spec), tmp_path)


# --- Text hygiene ---------------------------------------------------------------------------------


def test_a_numbered_document_must_be_dated_but_a_draft_may_not_be() -> None:
    with pytest.raises(ValueError, match="issue date"):
        plan_spec(issued_on=None, year=2024)
    draft = plan_spec(issued_on=None, number=None, year=2024)
    lines = docx_lines(render_docx(draft))
    assert "Số:       /KH-UBND" in lines
    assert "Châu Thành, ngày      tháng      năm 2024" in lines


def test_sentences_never_run_together_nor_double_their_stop() -> None:
    assert rendering.sentences("Các cơ quan", "Mỗi cơ quan đề xuất.") == "Các cơ quan. Mỗi cơ quan đề xuất."
    assert rendering.sentences("Các cơ quan;", "Mỗi cơ quan.") == "Các cơ quan; Mỗi cơ quan."
    assert rendering.sentences("Xong.", "", "Tiếp") == "Xong. Tiếp"
    assert rendering.closing_stop("Chưa có kinh phí.") == "Chưa có kinh phí."
    assert rendering.closing_stop("Chưa có kinh phí") == "Chưa có kinh phí."
    assert rendering.closing_stop("Trên đây là Kế hoạch./.") == "Trên đây là Kế hoạch./."


def test_the_text_checks_catch_what_a_clerk_would_retype() -> None:
    """Guards the guard: each fault is found, and what is fine passes."""
    assert text_faults("Nguyên nhân: chưa có kinh phí..") != []
    assert text_faults("gửi đến các cơ quan Mỗi cơ quan đề xuất ít nhất 01 sáng kiến") != []
    assert text_faults("Châu Thành, ngày      tháng      năm 2026") != []
    assert text_faults("Châu Thành, ngày      tháng      năm 2026", issued=False) == []
    assert text_faults("chậm tham gia ý kiến,... dẫn đến; Ủy ban nhân dân huyện Châu Thành; ./.") == []
    assert text_faults("Họ và tên: ............") == []


def test_the_reportlab_fallback_draws_forms_and_two_signatures_too(settings: Any) -> None:
    if rendering.find_serif_font() is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    spec = plan_spec(
        numbered=False, with_recipients=False, recipients=(), agency_header=False,
        signature=Signature(title="Đại diện nhóm tác giả", name="Đông Thị Huệ", capitals=False),
        left_signature=Signature(
            title="Xác nhận của cơ quan, đơn vị", note="(Chữ ký, dấu)", name="Phạm Văn Đà", capitals=False
        ),
    )  # fmt: skip
    text = pdf_text(render(spec, "pdf").content)
    assert "HUYỆN CHÂU THÀNH" not in text
    for expected in ("Châu Thành, ngày 05 tháng 02 năm 2024", "Xác nhận của cơ quan, đơn vị", "(Chữ ký, dấu)",
                     "Phạm Văn Đà", "Đại diện nhóm tác giả", "Đông Thị Huệ"):  # fmt: skip
        assert expected in text, expected


def test_an_official_letter_has_no_title_and_its_subject_under_the_number(tmp_path: Path) -> None:
    """Decree 30/2020, Annex I, point 5b: "Số: 05/UBND-PNV" over "V/v …", no title line."""
    spec = plan_spec(title="", subtitle="", excerpt="V/v trả lời đơn", symbol="UBND-PNV")
    content = render_docx(spec)
    number_cell = docx.Document(io.BytesIO(content)).tables[0].rows[1].cells[0]
    assert [p.text for p in number_cell.paragraphs] == ["Số: 05/UBND-PNV", "V/v trả lời đơn"]
    first_body = next(line for line in docx_lines(content)[:5] if line.strip())
    assert first_body == "Thực hiện Quyết định số 299/QĐ-UBND ngày 02/02/2024;"
    assert_passes_decree30(content, tmp_path)

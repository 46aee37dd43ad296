"""What a dossier prints: the application (Circular 18/2013, annex I), the description (seed
001), the experience-initiative report (seed 003) and the receipt, read back from the DOCX,
checked against Decree 30 where it applies, and converted by LibreOffice with exact
diacritics."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caicach.core import clock, rendering
from caicach.core.models import Job, JobStatus, Membership, Role
from caicach.initiatives.dossiers.documents import (
    AUTHOR_HEADER,
    AUTHOR_WIDTHS_MM,
    PARTICIPANT_HEADER,
    PARTICIPANT_WIDTHS_MM,
    application_spec,
    description_spec,
    dossiers_for_documents,
    receipt_spec,
    render_dossier_document,
)
from caicach.initiatives.dossiers.services import attachment_add
from caicach.initiatives.dossiers.tasks import DOSSIER_PDF
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind
from caicach.initiatives.workflow.services import initiative_confirm
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
from tests.initiatives.factories import accept, complete_draft, province_campaign, submit

APPLIED = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return province_campaign(org, people)


@pytest.fixture
def draft(org: Org, people: People, campaign: Campaign) -> Initiative:
    return complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)


@pytest.fixture
def accepted(draft: Initiative, people: People) -> Initiative:
    attachment_add(
        initiative=draft,
        actor=people.unit_staff,
        upload=SimpleUploadedFile(
            "Bảng số liệu kết quả.docx", docx_bytes(), content_type="application/octet-stream"
        ),
    )
    submit(draft, people.unit_staff)
    initiative_confirm(
        initiative=draft, actor=people.unit_head, note="Đơn vị xác nhận sáng kiến đã được áp dụng."
    )
    from caicach.initiatives.workflow.services import initiative_accept

    initiative_accept(initiative=draft, actor=people.reform_officer)
    return load(draft)


@pytest.fixture
def experience(org: Org, people: People, campaign: Campaign) -> Initiative:
    initiative = complete_draft(
        author=people.unit_staff,
        unit=org.science,
        campaign=campaign,
        kind=InitiativeKind.EXPERIENCE,
        data={"novelty": ""},
    )
    return load(initiative)


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Số liệu minh chứng")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def load(initiative: Initiative) -> Initiative:
    return dossiers_for_documents().get(pk=initiative.pk)


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(lines)


def tables_of(content: bytes) -> list[list[tuple[str, ...]]]:
    document = docx.Document(io.BytesIO(content))
    return [[tuple(cell.text for cell in row.cells) for row in table.rows] for table in document.tables]


# --- The application -----------------------------------------------------------------------------


def test_the_application_lists_every_author_with_every_column(accepted: Initiative) -> None:
    content = rendering.render_docx(application_spec(accepted))
    authors = next(table for table in tables_of(content) if table[0][0] == "Số TT")
    assert authors[0] == AUTHOR_HEADER
    assert authors[1:] == [
        ("1", "Lê Tuấn Phú", "28/01/1967", "Văn phòng UBND tỉnh", "Chánh Văn phòng", "Thạc sỹ", "30%",
         "Đóng góp vào nội dung của Sáng kiến"),
        ("2", "Nguyễn Phương Thảo", "03/7/1982", "Phòng Tổng hợp", "Trưởng phòng Tổng hợp", "Thạc sỹ", "30%",
         "Đóng góp vào nội dung của Sáng kiến"),
        ("3", "Đông Thị Huệ", "30/6/1989", "Phòng Tổng hợp", "Chuyên viên", "Thạc sỹ", "40%",
         "Chủ trì nghĩ ra ý tưởng; hoàn thiện và đóng góp vào nội dung của Sáng kiến"),
    ]  # fmt: skip


def test_the_application_has_every_field_of_the_circular_18_form(accepted: Initiative) -> None:
    text = text_of(rendering.render_docx(application_spec(accepted)))
    submitted_on = timezone.localdate(accepted.submitted_at)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN",
        "Kính gửi: Hội đồng sáng kiến tỉnh Tây Ninh",
        "Tôi (chúng tôi) ghi tên dưới đây:",
        f"Là tác giả (nhóm tác giả) đề nghị xét công nhận sáng kiến: {accepted.title}",
        "- Chủ đầu tư tạo ra sáng kiến (trường hợp tác giả không đồng thời là chủ đầu tư tạo ra sáng "
        "kiến): Không",
        "- Lĩnh vực áp dụng sáng kiến: Cải cách hành chính; chỉ đạo, điều hành",
        "- Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử (ghi ngày nào sớm hơn): "
        + rendering.short_date(accepted.first_applied_on),  # type: ignore[arg-type]
        "- Mô tả bản chất của sáng kiến: Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế",
        "- Những thông tin cần được bảo mật (nếu có): Không",
        "- Những điều kiện cần thiết để áp dụng sáng kiến: Có Hệ thống quản lý văn bản",
        "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của "
        "tác giả: Kỷ luật, kỷ cương hành chính được nâng lên.",
        "theo ý kiến của tổ chức, cá nhân đã tham gia áp dụng sáng kiến lần đầu, kể cả áp dụng thử "
        "(nếu có): Không",
        "- Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến lần đầu (nếu có): Không",
        "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và hoàn "
        "toàn chịu trách nhiệm trước pháp luật.",
        # Circular 18/2013, annex I: place and date over the applicant's signature.
        f"{rendering.place_date_line('Tây Ninh', submitted_on)}\nNgười nộp đơn\n(Ký và ghi rõ họ tên)\n",
        "Đông Thị Huệ",
    ):
        assert expected in text, expected
    assert "Số:" not in text  # a form, not a numbered document
    assert "Nơi nhận" not in text
    # The applicant files in their own name: no agency header over the motto.
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" not in text.split("CỘNG HÒA")[0]
    assert "UBND TỈNH TÂY NINH" not in text


def test_the_people_of_the_first_application_are_the_templates_table(draft: Initiative) -> None:
    Initiative.objects.filter(pk=draft.pk).update(
        first_application_participants=(
            "- Trần Văn A; 02/3/1980; Phòng Tổng hợp; Chuyên viên; Cử nhân; Nhập liệu thử\n"
            "Lê Thị B; ; Phòng Hành chính"
        ),
    )
    content = rendering.render_docx(application_spec(load(draft)))
    table = next(t for t in tables_of(content) if t[0] == PARTICIPANT_HEADER)
    assert table[1:] == [
        ("1", "Trần Văn A", "02/3/1980", "Phòng Tổng hợp", "Chuyên viên", "Cử nhân", "Nhập liệu thử"),
        ("2", "Lê Thị B", "", "Phòng Hành chính", "", "", ""),
    ]
    assert "áp dụng sáng kiến lần đầu (nếu có):\n" in text_of(content)


def test_no_people_of_the_first_application_reads_không(accepted: Initiative) -> None:
    content = rendering.render_docx(application_spec(accepted))
    assert not any(t[0] == PARTICIPANT_HEADER for t in tables_of(content))
    assert "áp dụng sáng kiến lần đầu (nếu có): Không" in text_of(content)


def test_long_answers_become_paragraphs_under_their_label(draft: Initiative) -> None:
    Initiative.objects.filter(pk=draft.pk).update(
        application_conditions="Có Hệ thống quản lý văn bản.\n- Cán bộ được tập huấn.", investor=""
    )
    text = text_of(rendering.render_docx(application_spec(load(draft))))
    assert (
        "- Những điều kiện cần thiết để áp dụng sáng kiến:\nCó Hệ thống quản lý văn bản.\n"
        "- Cán bộ được tập huấn."
    ) in text


def test_a_draft_application_leaves_the_date_blank(draft: Initiative) -> None:
    text = text_of(rendering.render_docx(application_spec(load(draft))))
    assert f"Tây Ninh, ngày      tháng      năm {clock.today().year}" in text


def test_the_application_passes_the_decree_30_rules_that_apply_to_a_form(
    accepted: Initiative, tmp_path: Path
) -> None:
    assert_passes_decree30(rendering.render_docx(application_spec(accepted)), tmp_path, form=True)


# --- The description ----------------------------------------------------------------------------


def test_the_description_follows_seed_001(accepted: Initiative) -> None:
    text = text_of(rendering.render_docx(description_spec(accepted)))
    applied = rendering.short_date(accepted.first_applied_on)  # type: ignore[arg-type]
    for expected in (
        "THUYẾT MINH MÔ TẢ GIẢI PHÁP\nVÀ KẾT QUẢ THỰC HIỆN SÁNG KIẾN",
        f"1. Tên sáng kiến: {accepted.title}",
        f"2. Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử: {applied}",
        "3. Các thông tin cần bảo mật (nếu có): Không",
        "4. Mô tả các giải pháp cũ thường làm:\nTrách nhiệm của một số cơ quan trong phối hợp chưa cao.\n"
        "- Chậm tham gia ý kiến.",
        "5. Sự cần thiết phải áp dụng giải pháp sáng kiến:\nCòn một số cơ quan",
        "6. Mục đích của giải pháp sáng kiến:\nTăng cường kỷ luật",
        "7. Nội dung:\n7.1. Thuyết minh giải pháp mới hoặc cải tiến:\nChủ tịch UBND tỉnh yêu cầu",
        "* Kết quả của sáng kiến:\nChất lượng chuẩn bị",
        "7.2. Thuyết minh về phạm vi áp dụng sáng kiến:\nSáng kiến đã triển khai trên toàn tỉnh.",
        "7.3. Thuyết minh về lợi ích kinh tế, xã hội của sáng kiến:\nPhát huy hiệu lực",
        "* Cam kết: Chúng tôi cam đoan những điều khai trên đây là đúng sự thật và không sao chép hoặc "
        "vi phạm bản quyền.",
        "Ý kiến xác nhận của cơ quan, đơn vị (ngày "
        f"{rendering.short_date(timezone.localdate(accepted.confirmed_at))}):\n"
        "Đơn vị xác nhận sáng kiến đã được áp dụng.",
    ):
        assert expected in text, expected
    # Seed 001: the unit's confirmation under signature and seal beside the authors'
    # representative, as side-by-side blocks.
    document = docx.Document(io.BytesIO(rendering.render_docx(description_spec(accepted))))
    unit, authors = (
        [p.text for p in cell.paragraphs if p.text] for cell in document.tables[-1].rows[0].cells
    )
    assert unit == ["Xác nhận của cơ quan, đơn vị", "(Chữ ký, dấu)", "Phạm Thủ Trưởng"]
    assert authors[1:] == ["Đại diện nhóm tác giả", "Đông Thị Huệ"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.tables[0].rows[0].cells[0].text
    assert "SỞ KHOA HỌC" not in document.tables[0].rows[0].cells[0].text


def test_a_single_author_signs_as_the_author(draft: Initiative) -> None:
    draft.authorships.exclude(pk=draft.authorships.order_by("position")[0].pk).delete()
    text = text_of(rendering.render_docx(description_spec(load(draft))))
    assert "\nTác giả\n" in text
    assert "Đại diện nhóm tác giả" not in text


def test_before_confirmation_the_description_leaves_room_for_the_seal(draft: Initiative) -> None:
    text = text_of(rendering.render_docx(description_spec(load(draft))))
    assert "Xác nhận của cơ quan, đơn vị\n(Chữ ký, dấu)" in text
    assert "Ý kiến xác nhận" not in text


def test_an_experience_initiative_prints_the_seed_003_layout(experience: Initiative) -> None:
    text = text_of(rendering.render_docx(description_spec(experience)))
    for expected in (
        f"SÁNG KIẾN KINH NGHIỆM\n{experience.title}",
        "Tác giả: Lê Tuấn Phú, Nguyễn Phương Thảo, Đông Thị Huệ",
        "Đơn vị: Sở Khoa học và Công nghệ",
        "PHẦN MỞ ĐẦU\nI. Bối cảnh của vấn đề nghiên cứu:\nTrước xu thế toàn cầu hóa",
        "II. Lý do chọn đề tài:",
        "III. Phạm vi và đối tượng nghiên cứu:",
        "IV. Mục đích nghiên cứu:\nGiúp cán bộ",
        "PHẦN NỘI DUNG\nI. Thực trạng của vấn đề:",
        "II. Các biện pháp đã tiến hành để giải quyết vấn đề:\n1. Quán triệt chủ trương, quan điểm của "
        "Đảng và Nhà nước.\n2. Niêm yết công khai thủ tục.",
        "III. Hiệu quả của sáng kiến kinh nghiệm:",
        "PHẦN KẾT LUẬN\nI. Những bài học kinh nghiệm:",
        "II. Ý nghĩa của sáng kiến kinh nghiệm:",
        "III. Khả năng ứng dụng, triển khai:",
        "IV. Những kiến nghị, đề xuất:\nTrang bị phương tiện",
        "* Cam kết:",
        "Đại diện nhóm tác giả",
    ):
        assert expected in text, expected
    # The empty optional section is left out rather than printed as an empty heading.
    assert "Điểm mới" not in text
    assert "7.1." not in text


def test_the_description_passes_the_decree_30_rules_that_apply_to_a_form(
    accepted: Initiative, experience: Initiative, tmp_path: Path
) -> None:
    submit(experience, experience.created_by)  # type: ignore[arg-type]  # dated once sent
    for initiative in (accepted, load(experience)):
        assert_passes_decree30(rendering.render_docx(description_spec(initiative)), tmp_path, form=True)


# --- The receipt ---------------------------------------------------------------------------------


def test_the_receipt_says_what_was_received_from_whom_when_and_when_the_result_is_due(
    accepted: Initiative,
) -> None:
    text = text_of(rendering.render_docx(receipt_spec(accepted)))
    today = clock.today()
    for expected in (
        "UBND TỈNH TÂY NINH\nSỞ NỘI VỤ",
        "Số: 01/GBN-SNV",
        rendering.place_date_line("Tây Ninh", today),
        "GIẤY BIÊN NHẬN\nHồ sơ đề nghị công nhận sáng kiến",
        "Sở Nội vụ đã tiếp nhận hồ sơ đề nghị công nhận sáng kiến sau đây:",
        f"- Tên sáng kiến: {accepted.title}.",
        "- Tác giả (nhóm tác giả): Lê Tuấn Phú (30%); Nguyễn Phương Thảo (30%); Đông Thị Huệ (40%).",
        "- Đơn vị đề xuất: Sở Khoa học và Công nghệ.",
        "(Kế hoạch số 01/KH-UBND của UBND tỉnh Tây Ninh).",
        "- Hồ sơ gồm: Đơn yêu cầu công nhận sáng kiến; Bản thuyết minh mô tả giải pháp và kết quả thực hiện "
        "sáng kiến; 1 tệp tài liệu kèm theo.",
        "- Tệp kèm theo: Bảng số liệu kết quả.docx",
        f"- Ngày tiếp nhận: {rendering.short_date(today)}.",
        f"- Thời hạn trả kết quả xét công nhận sáng kiến: {rendering.short_date(accepted.result_due_on)}.",  # type: ignore[arg-type]
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Cải Cách",
        "Nơi nhận:\n- Đông Thị Huệ (đại diện nhóm tác giả);\n- Sở Khoa học và Công nghệ;\n"
        "- Lưu: VT, hồ sơ sáng kiến.",
    ):
        assert expected in text, expected


def test_the_receipt_passes_the_decree_30_checker(accepted: Initiative, tmp_path: Path) -> None:
    assert_passes_decree30(rendering.render_docx(receipt_spec(accepted)), tmp_path)


def test_a_dossier_not_yet_accepted_has_no_receipt(draft: Initiative) -> None:
    with pytest.raises(ValueError, match="no receipt"):
        receipt_spec(load(draft))


def test_document_names_are_ascii_and_say_what_they_are(accepted: Initiative, experience: Initiative) -> None:
    year = clock.today().year
    assert (
        render_dossier_document("application", accepted).filename
        == f"don-yeu-cau-sang-kien-{accepted.pk}.docx"
    )
    assert (
        render_dossier_document("description", accepted).filename
        == f"thuyet-minh-sang-kien-{accepted.pk}.docx"
    )
    assert (
        render_dossier_document("description", experience).filename
        == f"sang-kien-kinh-nghiem-{experience.pk}.docx"
    )
    assert (
        render_dossier_document("receipt", accepted).filename
        == f"GBN-01-{year}-bien-nhan-sang-kien-{accepted.pk}.docx"
    )


# --- PDF --------------------------------------------------------------------------------------------


def libreoffice_serif_lacking_vietnamese() -> str:
    """The file fontconfig substitutes for Times New Roman when it cannot draw Vietnamese
    ("" when it can, or when fontconfig is absent). Debian's fonts-liberation (Liberation
    Serif 1.x) has no Vietnamese letters: LibreOffice then draws them from another font, the
    page looks right but the PDF's text layer comes out of order."""
    if shutil.which("fc-match") is None:
        return ""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "Times New Roman"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return found if found and not rendering._covers_vietnamese(found) else ""


@pytest.fixture
def libreoffice_with_vietnamese_serif(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """LibreOffice, printing Times New Roman with a font that has every Vietnamese letter. On a
    machine whose substitute lacks them (the server needs fonts-liberation2 or Times New Roman)
    the test points fontconfig at a Vietnamese-capable serif found on the machine, so what is
    checked is our document, not the machine's font packages."""
    if rendering.soffice_binary() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    lacking = libreoffice_serif_lacking_vietnamese()
    if not lacking:
        return
    serif = rendering.find_serif_font()
    if serif is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    family_files = Path(lacking).name.split("-")[0]
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
  <selectfont><rejectfont><glob>{Path(lacking).parent}/{family_files}*</glob></rejectfont></selectfont>
</fontconfig>
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))


@pytest.mark.usefixtures("libreoffice_with_vietnamese_serif")
def test_libreoffice_converts_every_dossier_document_with_exact_vietnamese(
    accepted: Initiative, experience: Initiative
) -> None:
    expectations = {
        ("application", accepted): ("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN",
                                    "Kính gửi: Hội đồng sáng kiến tỉnh Tây Ninh", "Nguyễn Phương Thảo",
                                    "Đông Thị Huệ", "Độc lập - Tự do - Hạnh phúc"),
        ("description", accepted): ("THUYẾT MINH MÔ TẢ GIẢI PHÁP", "VÀ KẾT QUẢ THỰC HIỆN SÁNG KIẾN",
                                    "7.3. Thuyết minh về lợi ích kinh tế, xã hội của sáng kiến",
                                    "Xác nhận của cơ quan, đơn vị", "Phạm Thủ Trưởng"),
        ("description", experience): ("SÁNG KIẾN KINH NGHIỆM", "PHẦN MỞ ĐẦU", "PHẦN KẾT LUẬN",
                                      "Những bài học kinh nghiệm", "Ủy ban nhân dân xã Hương Thọ"),
        ("receipt", accepted): ("GIẤY BIÊN NHẬN", "Số: 01/GBN-SNV", "Sở Nội vụ đã tiếp nhận",
                                "NGƯỜI TIẾP NHẬN HỒ SƠ", "Lê Thị Cải Cách"),
    }  # fmt: skip
    for (kind, initiative), phrases in expectations.items():
        spec = {"application": application_spec, "description": description_spec, "receipt": receipt_spec}[
            kind
        ]
        text = pdf_text(rendering.render_pdf(rendering.render_docx(spec(initiative))))
        for phrase in phrases:
            assert phrase in text, (kind, phrase)


# --- Downloads and the PDF job ------------------------------------------------------------------------


def test_the_author_downloads_the_application_as_docx(
    client: Client, accepted: Initiative, people: People
) -> None:
    client.force_login(people.unit_staff)
    response = client.get(
        reverse("initiatives:initiative_document", kwargs={"pk": accepted.pk, "kind": "application"})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
    assert f'filename="don-yeu-cau-sang-kien-{accepted.pk}.docx"' in response["Content-Disposition"]
    assert "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN" in text_of(response.content)


def test_the_receipt_job_makes_a_pdf_for_the_author(
    client: Client, accepted: Initiative, people: People, django_capture_on_commit_callbacks: Any,
    _media: Path, libreoffice_with_vietnamese_serif: None,
) -> None:  # fmt: skip
    client.force_login(people.unit_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("initiatives:initiative_document_pdf", kwargs={"pk": accepted.pk, "kind": "receipt"})
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.kind == DOSSIER_PDF
    assert job.status == JobStatus.DONE, job.message
    assert job.result_name == f"GBN-01-{clock.today().year}-bien-nhan-sang-kien-{accepted.pk}.pdf"
    content = (_media / job.result_file).read_bytes()
    assert content.startswith(b"%PDF")
    assert "Số: 01/GBN-SNV" in pdf_text(content)


def test_the_pdf_job_checks_access_again_when_it_runs(
    client: Client, draft: Initiative, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(people.unit_head)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("initiatives:initiative_document_pdf", kwargs={"pk": draft.pk, "kind": "application"})
        )
    job = Job.objects.get()
    Membership.objects.filter(user=people.unit_head, role=Role.UNIT_HEAD).update(is_active=False)
    from caicach.core.jobs.services import job_execute

    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "không còn quyền xem" in job.message
    assert not job.result_file


def test_the_pdf_job_explains_when_the_server_cannot_make_pdfs(
    client: Client, draft: Initiative, people: People, settings: Any, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    monkeypatch.setattr(rendering, "find_serif_font", lambda: None)
    client.force_login(people.unit_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("initiatives:initiative_document_pdf", kwargs={"pk": draft.pk, "kind": "description"})
        )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Máy chủ chưa cài LibreOffice" in job.message


def test_the_receipt_is_not_offered_before_acceptance(org: Org, people: People, campaign: Campaign) -> None:
    initiative = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
    accept(initiative, people, accepted_on=None)
    assert load(initiative).receipt is not None
    other = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": "Khác"}
    )
    assert load(other).receipt is None


@needs_soffice
def test_every_dossier_document_prints_its_signature_on_one_page_with_the_body(accepted: Initiative) -> None:
    for kind, heading, name, closing in (
        ("application", ("Người nộp đơn", "(Ký và ghi rõ họ tên)"), "Đông Thị Huệ", "trước pháp luật"),
        ("description", ("Xác nhận của cơ quan, đơn vị", "Đại diện nhóm tác giả"), "Đông Thị Huệ",
         "Đơn vị xác nhận sáng kiến đã được áp dụng"),
        ("receipt", ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "Nơi nhận", "bằng văn bản nêu rõ lý do"),
    ):  # fmt: skip
        content = render_dossier_document(kind, accepted).content  # type: ignore[arg-type]
        assert text_faults(docx_text(content)) == [], kind
        assert_signature_with_body(printed(content), heading=heading, name=name, closing=closing)


@pytest.mark.parametrize(
    ("header", "widths"), [(AUTHOR_HEADER, AUTHOR_WIDTHS_MM), (PARTICIPANT_HEADER, PARTICIPANT_WIDTHS_MM)]
)
def test_no_header_word_is_wider_than_its_column(header: tuple[str, ...], widths: tuple[float, ...]) -> None:
    """A word wider than its column breaks mid-word ("Số T T", "chuyê n môn"): each header
    word, in the table's bold type, fits its column less the cell margins (1.9 mm a side)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if rendering.find_serif_font() is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    bold = rendering.reportlab_font() + "-Bold"
    points_per_mm = 72 / 25.4
    assert sum(widths) == pytest.approx(rendering.TEXT_WIDTH_MM)
    for title, width in zip(header, widths, strict=True):
        room = (width - 2 * 1.9) * points_per_mm
        for word in title.split():
            assert stringWidth(word, bold, rendering.SIZE_TABLE) <= room, (title, word, width)

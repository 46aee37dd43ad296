"""The Office's monthly summary report (DOCX, Decree 30 layout): compiled from the items and
the units' reports, numbered BC from the Office's register when issued."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core import rendering
from caicach.core.models import AuditEvent, RegisteredDocument
from caicach.workprogram.models import ItemStatus, LineStatus, MonthlySummary, ProgramItem, WorkProgram
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.documents import monthly_summary_spec, percent_text
from caicach.workprogram.reports.queries import LineInput, ReportContent
from caicach.workprogram.reports.rules import kpi_scope
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_signature_with_body, docx_text, printed, text_faults
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = datetime.date(2024, 3, 1)
AS_OF = datetime.date(2024, 3, 20)


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Issued summaries keep their file: in a throw-away folder here."""
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Setup:
    program: WorkProgram
    delayed: ProgramItem


@pytest.fixture
def setup(org: Org, people: People) -> Setup:
    program = make_program(org.province, title="Chương trình công tác năm 2024 của UBND tỉnh")
    delayed = make_item(
        program, org.science, datetime.date(2024, 1, 1), title="Đề án chuyển đổi số ngành KH&CN"
    )
    make_item(
        program,
        org.science,
        MARCH,
        status=ItemStatus.ISSUED,
        submitted_on=datetime.date(2024, 3, 5),
        issued_on=datetime.date(2024, 3, 12),
    )
    make_item(
        program, org.home_affairs, datetime.date(2024, 2, 1), title="Kế hoạch tuyển dụng công chức năm 2024"
    )
    make_item(program, org.district, MARCH, title="Đề án nông thôn mới nâng cao")
    report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=program,
        unit=org.science,
        period=MARCH,
        content=ReportContent(
            "Thiếu cán bộ có chuyên môn về chuyển đổi số.",
            "Đề nghị UBND tỉnh bố trí kinh phí thuê tư vấn.",
            tuple(
                LineInput(
                    item.pk,
                    LineStatus.DELAYED if item.pk == delayed.pk else LineStatus.DONE,
                    # The unit typed its own stop after the cause: the summary must not double it.
                    delay_cause="Chờ ý kiến thẩm định của Sở Tư pháp." if item.pk == delayed.pk else "",
                    remedy="Đôn đốc cơ quan thẩm định" if item.pk == delayed.pk else "",
                    expected_date=datetime.date(2024, 4, 15) if item.pk == delayed.pk else None,
                )
                for item in report_queries.report_items(program, org.science, MARCH)
            ),
        ),
        version=None,
        at=datetime.datetime(2024, 3, 18, 8, tzinfo=VN),
    )
    return Setup(program=program, delayed=delayed)


def saved(setup: Setup, people: People) -> MonthlySummary:
    return report_services.monthly_summary_save(
        actor=people.office_officer,
        program=setup.program,
        period=MARCH,
        data={
            "assessment": "Các đơn vị cơ bản chấp hành chế độ báo cáo.",
            "signer_name": "Nguyễn Văn Tổng Hợp",
        },
        version=None,
    )


def rendered(setup: Setup, summary: MonthlySummary, as_of: datetime.date = AS_OF) -> str:
    summary = report_queries.summary_for(setup.program, MARCH) if summary.pk else summary
    data = report_queries.summary_data(setup.program, MARCH, as_of=as_of)
    return text_of(rendering.render_docx(monthly_summary_spec(summary, data)))


def test_the_summary_quotes_the_figures_the_late_and_missing_units_and_their_texts(
    setup: Setup, org: Org, people: People
) -> None:
    text = rendered(setup, saved(setup, people))
    months = kpis.month_figures(setup.program, kpi_scope(people.admin, setup.program), today=AS_OF)
    ytd = kpis.total_of(months[:3])
    march = months[2]
    for expected in (
        "UBND TỈNH TÂY NINH",
        "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH",
        "Số:       /BC-VP",
        "BÁO CÁO\nTình hình thực hiện Chương trình công tác tháng 3/2024",
        "Thực hiện Quyết định số 123/QĐ-UBND ngày 28/12/2023 của UBND tỉnh Tây Ninh ban hành Chương trình "
        "công tác năm 2024 của UBND tỉnh; trên cơ sở báo cáo của các cơ quan, đơn vị, Văn phòng UBND tỉnh",
        "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "Tháng 3/2024 có 3 cơ quan, đơn vị phải báo cáo (hạn gửi đến hết ngày 14/3/2024); "
        "0 đơn vị gửi báo cáo đúng hạn, 1 đơn vị gửi muộn, 2 đơn vị chưa gửi báo cáo.",
        "- Đơn vị gửi báo cáo muộn: Sở Khoa học và Công nghệ.",
        "Đơn vị chưa gửi báo cáo: Ủy ban nhân dân huyện Châu Thành, Sở Nội vụ.",
        f"Tháng 3/2024 | {march.due} | {march.submitted} | {march.issued} | {march.not_submitted} | "
        f"{march.overdue} | {percent_text(march.submitted_percent)} | {percent_text(march.issued_percent)}",
        f"Lũy kế từ đầu năm | {ytd.due} | {ytd.submitted} | {ytd.issued} | {ytd.not_submitted} | "
        f"{ytd.overdue}",
        f"tổng số nội dung phải trình là {ytd.due}; đã trình {ytd.submitted} nội dung",
        "3. Các nội dung chậm trình",
        "Đề án chuyển đổi số ngành KH&CN | Sở Khoa học và Công nghệ | Tháng 01/2024 | Nguyên nhân: Chờ ý "
        "kiến thẩm định của Sở Tư pháp. Giải pháp: Đôn đốc cơ quan thẩm định. Dự kiến hoàn thành: 15/4/2024.",
        "Kế hoạch tuyển dụng công chức năm 2024 | Sở Nội vụ | Tháng 02/2024 | "
        "Đơn vị chưa báo cáo nguyên nhân.",
        "4. Đánh giá chung\nCác đơn vị cơ bản chấp hành chế độ báo cáo.",
        "III. KHÓ KHĂN, VƯỚNG MẮC\n- Sở Khoa học và Công nghệ: Thiếu cán bộ có chuyên môn về chuyển đổi số.",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT\n- Sở Khoa học và Công nghệ: Đề nghị UBND tỉnh bố trí kinh phí thuê tư vấn.",
        "Trên đây là báo cáo tình hình thực hiện Chương trình công tác tháng 3/2024 của "
        "Văn phòng UBND tỉnh./.",
        "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Tổng Hợp",
        "Nơi nhận:\n- Thường trực UBND tỉnh;",
        "- Lưu: VT, TH.",
    ):
        assert expected in text, expected
    # Not yet overdue on 20/3: the district's March item is not "delayed" (it is due by 31/3).
    assert "Đề án nông thôn mới nâng cao" not in text
    assert (ytd.due, ytd.submitted, ytd.issued) == (4, 1, 1)


def test_the_issued_summary_takes_the_next_bc_number_and_passes_the_decree_30_checker(
    setup: Setup, org: Org, people: People, tmp_path: Path
) -> None:
    summary = saved(setup, people)
    issued = report_services.monthly_summary_issue(
        actor=people.office_officer, summary=summary, version=summary.version, issued_on=AS_OF
    )
    assert issued.registered_document is not None
    assert issued.registered_document.reference == "01/BC-VP"
    assert issued.registered_document.unit == org.office
    assert AuditEvent.objects.filter(action="monthly_summary.issue", object_id=str(issued.pk)).exists()
    text = rendered(setup, issued)
    assert "Số: 01/BC-VP" in text
    assert "Tây Ninh, ngày 20 tháng 3 năm 2024" in text

    data = report_queries.summary_data(setup.program, MARCH, as_of=AS_OF)
    spec = monthly_summary_spec(report_queries.summary_for(setup.program, MARCH), data)
    content = rendering.render_docx(spec)
    assert_passes_decree30(content, tmp_path)
    assert text_faults(docx_text(content)) == []
    assert_signature_with_body(
        printed(content), heading=("CHÁNH VĂN PHÒNG",), name="Nguyễn Văn Tổng Hợp", closing="./.",
    )  # fmt: skip


def test_a_summary_is_issued_once_and_stale_or_foreign_hands_change_nothing(
    setup: Setup, people: People
) -> None:
    summary = saved(setup, people)
    with pytest.raises(PermissionDenied):
        report_services.monthly_summary_issue(
            actor=people.unit_head, summary=summary, version=summary.version
        )
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        report_services.monthly_summary_issue(
            actor=people.office_officer, summary=summary, version=summary.version + 1
        )
    assert not RegisteredDocument.objects.exists()
    issued = report_services.monthly_summary_issue(
        actor=people.office_officer, summary=summary, version=summary.version, issued_on=AS_OF
    )
    with pytest.raises(ValidationError, match="đã được ban hành"):
        report_services.monthly_summary_issue(
            actor=people.office_officer, summary=issued, version=issued.version
        )
    with pytest.raises(ValidationError, match="đã ban hành"):
        report_services.monthly_summary_save(
            actor=people.office_officer,
            program=setup.program,
            period=MARCH,
            data={"assessment": "Sửa"},
            version=issued.version,
        )
    assert RegisteredDocument.objects.count() == 1


@pytest.mark.parametrize("day", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_a_summary_dated_absurdly_takes_no_number(setup: Setup, people: People, day: datetime.date) -> None:
    summary = saved(setup, people)
    with pytest.raises(ValidationError) as caught:
        report_services.monthly_summary_issue(
            actor=people.office_officer, summary=summary, version=summary.version, issued_on=day
        )
    assert caught.value.message_dict["issued_on"][0].startswith(
        "Ngày ban hành phải từ ngày 01/01/2000 đến ngày"
    )
    assert not RegisteredDocument.objects.exists()
    summary.refresh_from_db()
    assert summary.issued_on is None and summary.registered_document_id is None


def test_the_office_parts_are_validated_and_bad_input_changes_nothing(setup: Setup, people: People) -> None:
    summary = saved(setup, people)
    with pytest.raises(ValidationError) as caught:
        report_services.monthly_summary_save(
            actor=people.office_officer,
            program=setup.program,
            period=MARCH,
            data={"recipients": "Thường trực UBND tỉnh;", "signer_title": ""},
            version=summary.version,
        )
    assert set(caught.value.message_dict) == {"recipients", "signer_title"}
    summary.refresh_from_db()
    assert summary.version == 1 and summary.signer_title == "PHÓ CHÁNH VĂN PHÒNG"
    assert AuditEvent.objects.filter(action="monthly_summary.create").count() == 1
    assert not AuditEvent.objects.filter(action="monthly_summary.update").exists()
    with pytest.raises(PermissionDenied):
        report_services.monthly_summary_save(
            actor=people.unit_staff, program=setup.program, period=MARCH, data={}, version=summary.version
        )


def test_the_summary_docx_downloads_with_its_vietnamese_name(
    client: object, setup: Setup, people: People
) -> None:
    from django.test import Client
    from django.urls import reverse

    assert isinstance(client, Client)
    client.force_login(people.office_officer)
    response = client.get(
        reverse("workprogram:summary_docx", kwargs={"pk": setup.program.pk, "year": 2024, "month": 3})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
    assert 'filename="BC-du-thao-ctct-thang-3-2024.docx"' in response["Content-Disposition"]
    assert "Tình hình thực hiện Chương trình công tác tháng 3/2024" in text_of(response.content)


def test_an_issued_summary_still_shows_its_month_as_it_stood(setup: Setup, people: People) -> None:
    summary = saved(setup, people)
    issued = report_services.monthly_summary_issue(
        actor=people.office_officer, summary=summary, version=summary.version, issued_on=AS_OF
    )
    before = rendered(setup, issued, as_of=AS_OF)
    # In April the delayed item is finally submitted; March's summary does not change.
    ProgramItem.objects.filter(pk=setup.delayed.pk).update(
        status=ItemStatus.SUBMITTED, submitted_on=datetime.date(2024, 4, 10)
    )
    assert rendered(setup, issued, as_of=AS_OF) == before
    assert "Đề án chuyển đổi số ngành KH&CN | Sở Khoa học và Công nghệ | Tháng 01/2024" in before
    later = rendered(setup, issued, as_of=datetime.date(2024, 4, 20))
    assert "Đề án chuyển đổi số ngành KH&CN | Sở Khoa học và Công nghệ | Tháng 01/2024" not in later


def test_the_issued_file_is_kept_and_downloaded_as_issued(
    client: object, setup: Setup, people: People
) -> None:
    from django.test import Client
    from django.urls import reverse

    assert isinstance(client, Client)
    summary = saved(setup, people)
    issued = report_services.monthly_summary_issue(
        actor=people.office_officer, summary=summary, version=summary.version, issued_on=AS_OF
    )
    assert issued.document_file.startswith(f"workprogram/summaries/{setup.program.pk}/BC-01-2024-")
    kept = report_queries.frozen_summary(issued)
    assert kept is not None and "Số: 01/BC-VP" in text_of(kept)
    # The item is renamed afterwards: the issued report does not change.
    ProgramItem.objects.filter(pk=setup.delayed.pk).update(title="Tên mới sau khi ban hành")
    client.force_login(people.office_officer)
    response = client.get(
        reverse("workprogram:summary_docx", kwargs={"pk": setup.program.pk, "year": 2024, "month": 3})
    )
    assert response.content == kept
    assert "Tên mới sau khi ban hành" not in text_of(response.content)
    assert 'filename="BC-01-2024-ctct-thang-3-2024' in response["Content-Disposition"]


def test_the_summary_page_shows_fifty_delayed_items_and_counts_the_rest(
    client: Client, setup: Setup, people: People, org: Org
) -> None:
    for n in range(55):
        make_item(setup.program, org.science, datetime.date(2024, 1, 1), title=f"Đề án chậm số {n}")
    client.force_login(people.office_officer)
    url = reverse("workprogram:summary_detail", kwargs={"pk": setup.program.pk, "year": 2024, "month": 3})
    with on_day(AS_OF):
        response = client.get(url)
    delayed = response.context["data"].delayed
    assert len(delayed) > 50
    body = response.content.decode()
    assert f"Còn {len(delayed) - 50} nội dung chậm trình khác" in body
    shown = [entry for _, entry in delayed if f'href="{entry.item.get_absolute_url()}"' in body]
    assert shown == [entry for _, entry in delayed[:50]]


def test_the_summary_page_keeps_its_figures_until_a_write_to_what_they_count(
    client: Client, setup: Setup, people: People, django_assert_num_queries: Any
) -> None:
    """The page's figures are kept: a second look counts nothing; an item renamed since, or
    the program's own row changed, shows at once."""
    program = setup.program
    with on_day(AS_OF):
        first = report_queries.kept_summary_data(program, MARCH, as_of=AS_OF)
        with django_assert_num_queries(0):
            again = report_queries.kept_summary_data(program, MARCH, as_of=AS_OF)
        fresh = report_queries.summary_data(program, MARCH, as_of=AS_OF)
    assert again == first == fresh and [entry.item.title for _, entry in first.delayed]
    assert (first.counts, first.month, first.year_to_date) == (fresh.counts, fresh.month, fresh.year_to_date)
    ProgramItem.objects.filter(pk=setup.delayed.pk).update(title="Đề án đã đổi tên")
    client.force_login(people.office_officer)
    url = reverse("workprogram:summary_detail", kwargs={"pk": program.pk, "year": 2024, "month": 3})
    with on_day(AS_OF):
        body = client.get(url).content.decode()
        assert "Đề án đã đổi tên" in body
        WorkProgram.objects.filter(pk=program.pk).update(title="Chương trình đã sửa tên")
        program.refresh_from_db()
        assert report_queries.kept_summary_data(program, MARCH, as_of=AS_OF).program.title == (
            "Chương trình đã sửa tên"
        )
        # Another day judges "overdue" afresh.
        later = datetime.date(2024, 4, 20)
        assert report_queries.kept_summary_data(program, MARCH, as_of=later) == report_queries.summary_data(
            program, MARCH, as_of=later
        )

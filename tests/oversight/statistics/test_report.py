"""The periodic report on task performance: the Office drafts, a leader signs and issues
(the confirmation names the number), the frozen DOCX passes the Decree 30 checker, prints
the statistics' figures and the work program's unfinished items as the work program's own
KPI blocks count them; refusals change nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from caicach.core.once import FIELD
from caicach.oversight.models import TaskReport
from caicach.oversight.statistics import queries, services
from caicach.workprogram.models import ItemStatus, WorkProgram
from caicach.workprogram.reports import kpis
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_clean_text, assert_signature_with_body, docx_text, printed
from tests.issuing import confirm_issue
from tests.oversight.statistics.factories import TODAY, Dataset, mixed_dataset
from tests.workprogram.factories import make_bare_program, make_item

RECIPIENTS = "- Thường trực HĐND tỉnh;\n- Các sở, ban, ngành;\n- Lưu: VT, VP."


@pytest.fixture
def data(org: Org, people: People) -> Dataset:
    dataset = mixed_dataset(org, people)
    program = make_bare_program(org.province)
    make_item(program, org.science, datetime.date(2024, 8, 1), title="Đề án chuyển đổi số ngành khoa học")
    make_item(program, org.home_affairs, datetime.date(2024, 9, 1), title="Đề án vị trí việc làm")
    make_item(
        program,
        org.science,
        datetime.date(2024, 3, 1),
        status=ItemStatus.SUBMITTED,
        submitted_on=datetime.date(2024, 3, 20),
    )
    return dataset


def _draft(client: Client, org: Org, people: People) -> TaskReport:
    client.force_login(people.office_officer)
    url = reverse("oversight:task_report") + f"?committee={org.province.pk}&year=2024&quarter=3"
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"][FIELD].value()
    response = client.post(url, {FIELD: token, "assessment": "Các sở cần tập trung xử lý nhiệm vụ quá hạn.",
                                 "recipients": RECIPIENTS})  # fmt: skip
    report = TaskReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.period_start, report.period_end) == (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
    return report


def test_office_drafts_leader_issues_and_the_file_passes(
    client: Client, org: Org, people: People, data: Dataset, tmp_path: Path
) -> None:
    with on_day(TODAY):
        report = _draft(client, org, people)
        draft = client.get(reverse("oversight:task_report_docx", args=[report.pk]))
        assert draft.status_code == 200
        assert "nhiệm vụ được giao (quý III/2024)" in docx_text(draft.content)
        # The Office drafts but does not sign.
        office_try = client.post(
            reverse("oversight:task_report_issue", args=[report.pk]),
            {"issued_on": "15/10/2024", "version": report.version},
        )
        assert office_try.status_code == 302
        report.refresh_from_db()
        assert report.registered_document_id is None

        client.force_login(people.leader)
        detail = client.get(report.get_absolute_url())
        assert detail.status_code == 200 and detail.context["can_issue"] and detail.context["form"] is None
        confirm_issue(
            client,
            reverse("oversight:task_report_issue", args=[report.pk]),
            {"issued_on": "15/10/2024", "version": report.version},
        )
    report.refresh_from_db()
    assert report.registered_document is not None and report.issued_on == TODAY
    assert report.signer == people.leader and report.signer_title == "PHÓ CHỦ TỊCH"
    assert report.registered_document.symbol.startswith("BC-")
    with on_day(TODAY + datetime.timedelta(days=30)):
        frozen = client.get(reverse("oversight:task_report_docx", args=[report.pk]))
    content = b"".join(frozen.streaming_content) if frozen.streaming else frozen.content  # type: ignore[attr-defined]
    assert_passes_decree30(content, tmp_path)
    text = docx_text(content)
    # The figures are the statistics page's, as of the issue date.
    period = queries.quarter_period(2024, 3)
    total = queries.total_of(queries.unit_rows(Q(committee=org.province), period, today=TODAY))
    assert f"là {total.assigned} nhiệm vụ" in text
    assert f"quá hạn chưa hoàn thành {total.overdue}" in text
    # The work program as its own KPI blocks count it: one way to count.
    program = WorkProgram.objects.get()
    month = datetime.date(2024, 9, 1)
    figures = kpis.total_of(kpis.unit_figures(program, kpis.year_to_date(month), Q(), today=TODAY))
    assert figures.due == 3 and figures.not_submitted == 2
    assert f"có {figures.due} nội dung phải trình; đã trình {figures.submitted} nội dung" in text
    assert "Đề án chuyển đổi số ngành khoa học" in text and "Đề án vị trí việc làm" in text
    assert "Lưu: VT, VP." in text and people.leader.full_name in text
    assert_clean_text(content)
    # Printed: the signer's block stays on the page with the end of the body.
    assert_signature_with_body(
        printed(content),
        heading=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        name=people.leader.full_name,
        closing="được giao của UBND tỉnh",
    )
    # Issued: no more edits, no second number.
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.post(report.get_absolute_url(), {"assessment": "x", "recipients": RECIPIENTS,
                                                             "version": report.version})  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assessment != "x"
    with on_day(TODAY), pytest.raises(ValidationError, match="đã được ban hành"):
        services.task_report_issue(actor=people.leader, report=report, version=report.version)


def test_refusals_change_nothing(client: Client, org: Org, people: People, data: Dataset) -> None:
    with on_day(TODAY):
        report = _draft(client, org, people)
    version = report.version
    with on_day(TODAY):
        with pytest.raises(PermissionDenied):
            services.task_report_issue(actor=people.office_officer, report=report, version=version)
        with pytest.raises(PermissionDenied):
            services.task_report_save(
                actor=people.leader, report=report, data={"assessment": "y"}, version=version
            )
        with pytest.raises(ValidationError, match="Lưu"):
            services.task_report_save(
                actor=people.office_officer,
                report=report,
                data={"recipients": "- Sở Nội vụ."},
                version=version,
            )
        with pytest.raises(ValidationError):  # stale
            services.task_report_save(
                actor=people.office_officer, report=report, data={"assessment": "z"}, version=version + 5
            )
        with pytest.raises(ValidationError, match="sau ngày hôm nay"):
            services.task_report_issue(
                actor=people.leader,
                report=report,
                version=version,
                issued_on=TODAY + datetime.timedelta(days=3),
            )
        with pytest.raises(PermissionDenied):
            services.task_report_create(
                actor=people.unit_head,
                committee=org.province,
                start=TODAY,
                end=TODAY,
                data={"recipients": RECIPIENTS},
            )
    report.refresh_from_db()
    assert report.version == version and report.registered_document_id is None
    assert TaskReport.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "new", "detail"),
    [
        ("office_officer", 200, 200),
        ("leader", 404, 200),
        ("unit_head", 404, 404),
        ("committee_member", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_report_pages_matrix(
    client: Client, org: Org, people: People, data: Dataset, who: str, new: int, detail: int
) -> None:
    report = TaskReport.objects.create(
        committee=org.province,
        period_start=datetime.date(2024, 1, 1),
        period_end=TODAY,
        recipients=RECIPIENTS,
    )
    client.force_login(getattr(people, who))
    with on_day(TODAY):
        assert client.get(reverse("oversight:task_report"), {"committee": org.province.pk}).status_code == new
        assert client.get(report.get_absolute_url()).status_code == detail
        assert client.get(reverse("oversight:task_report_docx", args=[report.pk])).status_code == detail

"""Monthly reports of the lead units: what the form proposes, drafts, sending on time or
late, stale edits, bad input that changes nothing, and the Office reopening a report."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.models import AuditEvent, Notification
from caicach.workprogram.models import (
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    ProgramItem,
    ReportStatus,
    WorkProgram,
    WorkProgramSettings,
)
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.queries import LineInput, ReportContent
from caicach.workprogram.reports.rules import expected_units
from tests.conftest import Org, People
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = datetime.date(2024, 3, 1)


def at(day: int, month: int = 3, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2024, month, day, hour, 0, tzinfo=VN)


@dataclass
class Setup:
    program: WorkProgram
    delayed: ProgramItem  # planned, due in January: late by March
    this_month: ProgramItem  # planned, due in March
    awaiting: ProgramItem  # submitted in February, waiting for the decision
    issued_this_month: ProgramItem  # due in March, already issued
    later: ProgramItem  # due in June: not in the March report
    issued_before: ProgramItem  # due in January, issued: nothing left to say
    withdrawn: ProgramItem
    other_unit: ProgramItem  # led by Home Affairs


@pytest.fixture
def setup(org: Org, people: People) -> Setup:
    program = make_program(org.province)
    jan, feb, jun = datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 6, 1)
    science = org.science
    return Setup(
        program=program,
        delayed=make_item(program, science, jan, title="Đề án chuyển đổi số ngành khoa học"),
        this_month=make_item(program, science, MARCH, title="Quy định quản lý nhiệm vụ khoa học cấp tỉnh"),
        awaiting=make_item(
            program, science, feb, status=ItemStatus.SUBMITTED, submitted_on=datetime.date(2024, 2, 20)
        ),
        issued_this_month=make_item(
            program,
            science,
            MARCH,
            status=ItemStatus.ISSUED,
            submitted_on=datetime.date(2024, 3, 2),
            issued_on=datetime.date(2024, 3, 8),
        ),
        later=make_item(program, science, jun),
        issued_before=make_item(
            program,
            science,
            jan,
            status=ItemStatus.ISSUED,
            submitted_on=datetime.date(2024, 1, 10),
            issued_on=datetime.date(2024, 1, 20),
        ),
        withdrawn=make_item(program, science, feb, status=ItemStatus.WITHDRAWN),
        other_unit=make_item(program, org.home_affairs, feb),
    )


def complete(setup: Setup, **overrides: LineInput) -> ReportContent:
    """A complete March report of the Department of Science and Technology."""
    lines = {
        "delayed": LineInput(
            setup.delayed.pk,
            LineStatus.DELAYED,
            delay_cause="Chờ ý kiến thẩm định của Sở Tư pháp",
            remedy="Đôn đốc cơ quan thẩm định",
            expected_date=datetime.date(2024, 4, 15),
        ),
        "this_month": LineInput(setup.this_month.pk, LineStatus.ON_TRACK, progress_note="Đang lấy ý kiến"),
        "awaiting": LineInput(setup.awaiting.pk, LineStatus.DONE),
        "issued_this_month": LineInput(setup.issued_this_month.pk, LineStatus.DONE),
        **overrides,
    }
    return ReportContent(
        difficulties="Thiếu nhân lực chuyên trách.",
        recommendations="Đề nghị UBND tỉnh bổ sung biên chế.",
        lines=tuple(lines.values()),
    )


def test_the_form_proposes_the_items_open_in_the_month(setup: Setup, org: Org) -> None:
    rows = report_queries.form_lines(setup.program, org.science, MARCH, None)
    proposed = {row.item.pk: row.values.status for row in rows}
    assert proposed == {
        setup.delayed.pk: LineStatus.DELAYED,
        setup.this_month.pk: LineStatus.ON_TRACK,
        setup.awaiting.pk: LineStatus.DONE,
        setup.issued_this_month.pk: LineStatus.DONE,
    }


def test_the_due_date_is_the_day_before_the_report_day_or_the_next_working_day(
    setup: Setup, org: Org
) -> None:
    assert report_queries.report_due_date(setup.program, MARCH) == datetime.date(2024, 3, 14)
    # 14/9/2024 is a Saturday: the deadline moves to Monday 16/9 (Civil Code Art. 148).
    assert report_queries.report_due_date(setup.program, datetime.date(2024, 9, 1)) == datetime.date(
        2024, 9, 16
    )
    WorkProgramSettings.objects.create(unit=org.province, report_day=10)
    assert report_queries.report_due_date(setup.program, MARCH) == datetime.date(
        2024, 3, 11
    )  # 9/3 is a Saturday


def test_a_draft_is_saved_and_continued(setup: Setup, org: Org, people: People) -> None:
    content = complete(setup, delayed=LineInput(setup.delayed.pk, LineStatus.DELAYED))
    report = report_services.monthly_report_save_draft(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=content,
        version=None,
    )
    assert report.status == ReportStatus.DRAFT
    assert report.due_date == datetime.date(2024, 3, 14)
    assert report.lines.count() == 4
    assert AuditEvent.objects.filter(action="monthly_report.create", object_id=str(report.pk)).exists()

    rows = report_queries.form_lines(setup.program, org.science, MARCH, report)
    assert {row.item.pk: row.values.progress_note for row in rows}[setup.this_month.pk] == "Đang lấy ý kiến"

    updated = report_services.monthly_report_save_draft(
        actor=people.unit_head,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=report.version,
    )
    assert updated.version == report.version + 1
    line = updated.lines.get(item=setup.delayed)
    assert line.delay_cause == "Chờ ý kiến thẩm định của Sở Tư pháp"
    event = AuditEvent.objects.get(action="monthly_report.update", object_id=str(report.pk))
    assert event.actor == people.unit_head


def test_a_report_sent_before_the_deadline_is_on_time(setup: Setup, org: Org, people: People) -> None:
    report = report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
        at=at(14, hour=23),
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.is_late is False
    assert report.submitted_by == people.unit_staff
    event = AuditEvent.objects.get(action="monthly_report.submit", object_id=str(report.pk))
    assert event.changes["status"] == [ReportStatus.DRAFT, ReportStatus.SUBMITTED]
    assert event.changes["is_late"] == [None, False]
    assert event.message == "Tiến độ 4 nội dung: 1 chậm tiến độ, 1 đúng tiến độ, 2 đã hoàn thành."


def test_a_report_sent_after_the_deadline_is_flagged_late(setup: Setup, org: Org, people: People) -> None:
    draft = report_services.monthly_report_save_draft(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
    )
    # Local midnight: 15/3 00:30 in Vietnam is still 14/3 in UTC, and late all the same.
    report = report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=draft.version,
        at=at(15, hour=0).replace(minute=30),
    )
    assert report.is_late is True


def test_a_delayed_item_must_say_why_how_and_when_before_sending(
    setup: Setup, org: Org, people: People
) -> None:
    incomplete = complete(setup, delayed=LineInput(setup.delayed.pk, LineStatus.DELAYED, delay_cause="x"))
    with pytest.raises(ValidationError) as caught:
        report_services.monthly_report_submit(
            actor=people.unit_staff,
            program=setup.program,
            unit=org.science,
            period=MARCH,
            content=incomplete,
            version=None,
            at=at(10),
        )
    assert "giải pháp khắc phục" in " ".join(caught.value.messages)
    assert "thời gian dự kiến hoàn thành" in " ".join(caught.value.messages)
    assert not MonthlyReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="monthly_report").exists()


@pytest.mark.parametrize(
    "bad",
    ["other_unit", "withdrawn", "unknown_status", "duplicate", "expected_before_month", "missing_item"],
)
def test_bad_input_changes_nothing(setup: Setup, org: Org, people: People, bad: str) -> None:
    draft = report_services.monthly_report_save_draft(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
    )
    before = list(MonthlyReportLine.objects.order_by("pk").values())
    content = complete(setup)
    lines = list(content.lines)
    if bad == "other_unit":
        lines.append(LineInput(setup.other_unit.pk, LineStatus.ON_TRACK))
    elif bad == "withdrawn":
        lines.append(LineInput(setup.withdrawn.pk, LineStatus.ON_TRACK))
    elif bad == "unknown_status":
        lines[1] = LineInput(setup.this_month.pk, "excellent")
    elif bad == "duplicate":
        lines.append(lines[0])
    elif bad == "expected_before_month":
        lines[1] = LineInput(
            setup.this_month.pk, LineStatus.ON_TRACK, expected_date=datetime.date(2024, 2, 1)
        )
    else:
        lines.pop(1)  # the item due this month left out of a report being sent
    content = ReportContent(difficulties="Đã sửa", recommendations="", lines=tuple(lines))
    with pytest.raises(ValidationError):
        report_services.monthly_report_submit(
            actor=people.unit_staff,
            program=setup.program,
            unit=org.science,
            period=MARCH,
            content=content,
            version=draft.version,
            at=at(10),
        )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert draft.difficulties == "Thiếu nhân lực chuyên trách."
    assert draft.version == 1
    assert list(MonthlyReportLine.objects.order_by("pk").values()) == before
    assert not AuditEvent.objects.filter(action="monthly_report.submit").exists()


def test_a_stale_edit_is_refused(setup: Setup, org: Org, people: People) -> None:
    first = report_services.monthly_report_save_draft(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
    )
    report_services.monthly_report_save_draft(
        actor=people.unit_head,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=ReportContent("Bản của thủ trưởng", "", complete(setup).lines),
        version=first.version,
    )
    for version in (first.version, None):  # an old copy, or a form built before the report existed
        with pytest.raises(ValidationError, match="người khác thay đổi"):
            report_services.monthly_report_submit(
                actor=people.unit_staff,
                program=setup.program,
                unit=org.science,
                period=MARCH,
                content=complete(setup),
                version=version,
                at=at(10),
            )
    report = MonthlyReport.objects.get()
    assert report.difficulties == "Bản của thủ trưởng"
    assert report.status == ReportStatus.DRAFT


def test_one_report_per_unit_and_month_and_no_report_for_a_month_not_yet_come(
    setup: Setup, org: Org, people: People
) -> None:
    with pytest.raises(ValidationError, match="Chưa đến kỳ báo cáo"):
        report_services.monthly_report_save_draft(
            actor=people.unit_staff,
            program=setup.program,
            unit=org.science,
            period=datetime.date(2024, 4, 1),
            content=complete(setup),
            version=None,
            today=datetime.date(2024, 3, 20),
        )
    with pytest.raises(ValidationError, match="năm 2024"):
        report_services.monthly_report_save_draft(
            actor=people.unit_staff,
            program=setup.program,
            unit=org.science,
            period=datetime.date(2023, 12, 1),
            content=complete(setup),
            version=None,
        )
    assert not MonthlyReport.objects.exists()


def test_only_the_units_own_people_file_its_report(setup: Setup, org: Org, people: People) -> None:
    for outsider in (people.outsider, people.office_officer, people.leader, people.reform_officer):
        with pytest.raises(PermissionDenied):
            report_services.monthly_report_save_draft(
                actor=outsider,
                program=setup.program,
                unit=org.science,
                period=MARCH,
                content=complete(setup),
                version=None,
            )
    assert not MonthlyReport.objects.exists()


def test_a_sent_report_is_closed_until_the_office_reopens_it(setup: Setup, org: Org, people: People) -> None:
    sent = report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
        at=at(18),
    )
    assert sent.is_late
    with pytest.raises(ValidationError, match="Báo cáo đã gửi"):
        report_services.monthly_report_submit(
            actor=people.unit_staff,
            program=setup.program,
            unit=org.science,
            period=MARCH,
            content=complete(setup),
            version=sent.version,
            at=at(19),
        )
    with pytest.raises(PermissionDenied):
        report_services.monthly_report_reopen(
            actor=people.unit_head, report=sent, version=sent.version, reason="Sửa"
        )
    with pytest.raises(ValidationError):
        report_services.monthly_report_reopen(
            actor=people.office_officer, report=sent, version=sent.version, reason="  "
        )

    reopened = report_services.monthly_report_reopen(
        actor=people.office_officer,
        report=sent,
        version=sent.version,
        reason="Bổ sung nguyên nhân chậm của đề án chuyển đổi số.",
    )
    assert reopened.status == ReportStatus.DRAFT
    event = AuditEvent.objects.get(action="monthly_report.reopen")
    assert event.message == "Bổ sung nguyên nhân chậm của đề án chuyển đổi số."
    told = set(
        Notification.objects.filter(title__contains="bổ sung báo cáo tháng 3/2024").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {people.unit_head.username, people.unit_staff.username}

    resent = report_services.monthly_report_submit(
        actor=people.unit_head,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=reopened.version,
        at=at(25),
    )
    # The correction keeps the first sending: its time, its sender and its lateness.
    assert resent.submitted_at == sent.submitted_at
    assert resent.submitted_by == people.unit_staff
    assert resent.is_late is True
    assert AuditEvent.objects.filter(action="monthly_report.submit").count() == 2


def test_the_report_text_is_stored_nfc_and_trimmed(setup: Setup, org: Org, people: People) -> None:
    decomposed = unicodedata.normalize("NFD", "  Khó khăn về kinh phí thực hiện  ")
    content = ReportContent(decomposed, "", complete(setup).lines)
    report = report_services.monthly_report_save_draft(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=content,
        version=None,
    )
    report.refresh_from_db()
    assert report.difficulties == unicodedata.normalize("NFC", "Khó khăn về kinh phí thực hiện")


def test_every_lead_unit_of_a_live_item_is_expected_to_report(setup: Setup, org: Org) -> None:
    only_withdrawn = make_item(setup.program, org.commune, MARCH, status=ItemStatus.WITHDRAWN)
    assert only_withdrawn.lead_unit_id not in set(expected_units(setup.program).values_list("pk", flat=True))
    assert set(expected_units(setup.program)) == {org.science, org.home_affairs}


def test_the_month_matrix_counts_on_time_late_pending_and_missing(
    setup: Setup, org: Org, people: People
) -> None:
    report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=setup.program,
        unit=org.science,
        period=MARCH,
        content=complete(setup),
        version=None,
        at=at(20),
    )
    units = list(expected_units(setup.program))
    on_the_10th = report_queries.report_matrix(setup.program, units, today=datetime.date(2024, 3, 10))
    by_unit = {row.unit: row for row in on_the_10th}
    assert by_unit[org.science].months[2].state == report_queries.LATE
    assert by_unit[org.home_affairs].months[2].state == report_queries.PENDING
    assert by_unit[org.home_affairs].months[1].state == report_queries.MISSING  # February, nothing sent
    assert by_unit[org.home_affairs].months[3].state == report_queries.FUTURE
    later = report_queries.report_matrix(setup.program, units, today=datetime.date(2024, 3, 15))
    count = report_queries.month_count(later, 2)
    assert (count.expected, count.on_time, count.late, count.missing, count.pending) == (2, 0, 1, 1, 0)
    assert {row.unit: row.missing_count for row in later} == {org.science: 2, org.home_affairs: 3}

"""A unit's adoption report: opened prefilled from the previous cycle, saved, sent (late
after its due date), returned by Home Affairs for completion and sent again; refusals
change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from caicach.core.models import AuditEvent, Notification
from caicach.replication.adoption.queries import ReportContent, ResultInput, current_cycle
from caicach.replication.adoption.services import (
    adoption_evidence_add,
    adoption_evidence_remove,
    adoption_report_open,
    adoption_report_return,
    adoption_report_save,
    adoption_report_submit,
)
from caicach.replication.cycles import cycle_of, report_due_on, settings_for
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    Obligation,
)
from tests.conftest import Org, People, on_day
from tests.replication.factories import make_directive, make_obligation, make_practice

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = datetime.date(2024, 1, 1)
Q2 = datetime.date(2024, 4, 1)
IN_Q2 = datetime.date(2024, 5, 15)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

APPLIED = ReportContent(
    adoption_status=AdoptionStatus.APPLIED,
    started_on=datetime.date(2024, 2, 1),
    scope="Bộ phận một cửa, người dân đến làm thủ tục",
    difficulties="Thiếu máy tính",
    proposals="Bổ sung kinh phí",
    results=(
        ResultInput(
            indicator="Số buổi đối thoại", measure_unit="buổi", baseline=Decimal("0"), current=Decimal("6")
        ),
    ),
)


@pytest.fixture
def obligation(org: Org) -> Obligation:
    return make_obligation(make_directive(org), org.science, make_practice(org))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def fresh(report: AdoptionReport) -> AdoptionReport:
    return AdoptionReport.objects.get(pk=report.pk)


def submitted_q1(obligation: Obligation, people: People) -> AdoptionReport:
    """Q1's report, sent on time (its due date falls in mid-April)."""
    with on_day(datetime.date(2024, 4, 5)):
        return adoption_report_submit(
            actor=people.unit_staff, obligation=obligation, period_start=Q1, content=APPLIED, version=None
        )


def test_a_new_report_starts_from_the_previous_cycles_report_without_its_evidence(
    obligation: Obligation, people: People
) -> None:
    q1 = submitted_q1(obligation, people)
    with on_day(IN_Q2):
        report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q1)
        assert report.pk == q1.pk  # opening an existing one creates nothing
    with on_day(datetime.date(2024, 7, 10)):
        report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q2)
    assert report.status == AdoptionReportStatus.DRAFT
    assert (report.period_start, report.period_end) == (Q2, datetime.date(2024, 6, 30))
    assert report.due_on == report_due_on(
        cycle_of(Q2, "quarterly"), settings_for(obligation.directive.issuing_unit)
    )
    assert report.adoption_status == AdoptionStatus.APPLIED
    assert report.started_on == datetime.date(2024, 2, 1)
    assert report.scope == APPLIED.scope
    assert report.difficulties == "" and report.proposals == ""
    assert [(r.indicator, r.current) for r in report.results.all()] == [("Số buổi đối thoại", Decimal("6"))]
    assert not report.evidence.exists()
    assert AuditEvent.objects.filter(action="adoption_report.create", object_id=str(report.pk)).count() == 1


def test_a_first_report_starts_not_started(obligation: Obligation, people: People) -> None:
    with on_day(IN_Q2):
        report = adoption_report_open(actor=people.unit_head, obligation=obligation, period_start=Q2)
    assert report.adoption_status == AdoptionStatus.NOT_STARTED
    assert not report.results.exists()


def test_a_draft_saves_incomplete_but_stopped_needs_a_reason_to_be_sent(
    obligation: Obligation, people: People
) -> None:
    stopped = ReportContent(adoption_status=AdoptionStatus.STOPPED)
    with on_day(IN_Q2):
        report = adoption_report_save(
            actor=people.unit_staff, obligation=obligation, period_start=Q1, content=stopped, version=None
        )
        with pytest.raises(ValidationError) as refused:
            adoption_report_submit(
                actor=people.unit_staff,
                obligation=obligation,
                period_start=Q1,
                content=stopped,
                version=report.version,
            )
    assert "cần nêu lý do" in str(refused.value.message_dict["reason"])
    assert fresh(report).status == AdoptionReportStatus.DRAFT
    assert fresh(report).version == report.version


def test_applied_needs_a_start_date_to_be_sent(obligation: Obligation, people: People) -> None:
    with on_day(IN_Q2), pytest.raises(ValidationError) as refused:
        adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1,
            content=ReportContent(adoption_status=AdoptionStatus.APPLIED),
            version=None,
        )
    assert "started_on" in refused.value.message_dict
    assert not AdoptionReport.objects.exists()


@pytest.mark.parametrize(
    ("started_on", "expected"),
    [
        (datetime.date(1999, 12, 31), "phải từ ngày 01/01/2000"),
        (datetime.date(2024, 5, 16), "phải từ ngày 01/01/2000"),  # tomorrow
        (datetime.date(2024, 4, 2), "không được sau ngày cuối kỳ"),
    ],
)
def test_the_start_date_is_neither_in_the_future_nor_before_2000_nor_after_the_cycle(
    obligation: Obligation, people: People, started_on: datetime.date, expected: str
) -> None:
    content = ReportContent(adoption_status=AdoptionStatus.PILOTING, started_on=started_on)
    with on_day(IN_Q2), pytest.raises(ValidationError) as refused:
        adoption_report_save(
            actor=people.unit_staff, obligation=obligation, period_start=Q1, content=content, version=None
        )
    assert expected in str(refused.value.message_dict["started_on"])
    assert not AdoptionReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.234"), "tối đa 2 chữ số thập phân"),
        (Decimal("1000000000"), "phải nhỏ hơn"),
        (Decimal("-1"), "không được âm"),
        (Decimal("NaN"), "phải là một số"),
    ],
)
def test_measured_values_that_do_not_fit_are_refused_with_a_clear_message(
    obligation: Obligation, people: People, value: Decimal, expected: str
) -> None:
    content = ReportContent(
        adoption_status=AdoptionStatus.PILOTING,
        results=(ResultInput(indicator="Tỷ lệ hồ sơ trực tuyến", measure_unit="%", current=value),),
    )
    with on_day(IN_Q2), pytest.raises(ValidationError) as refused:
        adoption_report_save(
            actor=people.unit_staff, obligation=obligation, period_start=Q1, content=content, version=None
        )
    assert expected in str(refused.value.message_dict["results"])
    assert not AdoptionReport.objects.exists()


def test_a_result_row_needs_its_indicator_and_blank_rows_are_dropped(
    obligation: Obligation, people: People
) -> None:
    nameless = ReportContent(
        adoption_status=AdoptionStatus.PILOTING, results=(ResultInput(indicator="", current=Decimal(3)),)
    )
    with on_day(IN_Q2):
        with pytest.raises(ValidationError):
            adoption_report_save(
                actor=people.unit_staff,
                obligation=obligation,
                period_start=Q1,
                content=nameless,
                version=None,
            )
        blank = ReportContent(adoption_status=AdoptionStatus.PILOTING, results=(ResultInput(indicator="  "),))
        report = adoption_report_save(
            actor=people.unit_staff, obligation=obligation, period_start=Q1, content=blank, version=None
        )
    assert not report.results.exists()


def test_a_report_sent_by_the_due_day_in_vietnam_is_on_time_and_the_day_after_is_late(
    obligation: Obligation, people: People
) -> None:
    due = report_due_on(cycle_of(Q1, "quarterly"), settings_for(obligation.directive.issuing_unit))
    with on_day(due):
        on_time = adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=None,
            at=at(due, 23, 30),
        )
    assert on_time.is_late is False
    other = make_obligation(obligation.directive, obligation.unit, obligation.practice)
    next_day = due + datetime.timedelta(days=1)
    with on_day(next_day):
        late = adoption_report_submit(
            actor=people.unit_staff,
            obligation=other,
            period_start=Q1,
            content=APPLIED,
            version=None,
            at=at(next_day, 0, 30),
        )
    assert late.is_late is True


def test_home_affairs_returns_a_sent_report_and_the_unit_sends_it_again_keeping_its_lateness(
    obligation: Obligation, people: People
) -> None:
    report = submitted_q1(obligation, people)
    assert report.is_late is False
    with on_day(datetime.date(2024, 6, 3)):
        returned = adoption_report_return(
            actor=people.reform_officer,
            report=report,
            note="Bổ sung số liệu đối thoại",
            version=report.version,
        )
    assert returned.status == AdoptionReportStatus.RETURNED
    assert returned.return_note == "Bổ sung số liệu đối thoại"
    told = Notification.objects.filter(
        recipient__in=[people.unit_staff, people.unit_head], title__contains="trả lại"
    )
    assert told.count() == 2
    with on_day(datetime.date(2024, 6, 5)):
        resent = adoption_report_submit(
            actor=people.unit_head,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=returned.version,
        )
    assert resent.status == AdoptionReportStatus.SUBMITTED
    assert resent.is_late is False  # after its due date, but the completion was asked for
    assert resent.submitted_by == people.unit_staff  # the first sending
    assert Notification.objects.filter(recipient=people.reform_officer, title__contains="bổ sung").exists()
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="adoption_report.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "adoption_report.create",
        "adoption_report.submit",
        "adoption_report.return",
        "adoption_report.submit",
    ]


def test_a_sent_report_cannot_be_edited_nor_a_draft_returned(obligation: Obligation, people: People) -> None:
    report = submitted_q1(obligation, people)
    with on_day(IN_Q2), pytest.raises(ValidationError):
        adoption_report_save(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=report.version,
        )
    with on_day(IN_Q2):
        draft = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q2)
        with pytest.raises(ValidationError):
            adoption_report_return(actor=people.reform_officer, report=draft, note="x", version=draft.version)
    assert fresh(draft).status == AdoptionReportStatus.DRAFT


def test_a_return_needs_a_note_and_home_affairs(obligation: Obligation, people: People) -> None:
    report = submitted_q1(obligation, people)
    with on_day(IN_Q2):
        with pytest.raises(ValidationError):
            adoption_report_return(
                actor=people.reform_officer, report=report, note="  ", version=report.version
            )
        with pytest.raises(PermissionDenied):
            adoption_report_return(
                actor=people.unit_head, report=report, note="Bổ sung", version=report.version
            )
        with pytest.raises(PermissionDenied):
            adoption_report_return(actor=people.leader, report=report, note="Bổ sung", version=report.version)
    assert fresh(report).status == AdoptionReportStatus.SUBMITTED


def test_a_future_cycle_is_refused_and_the_current_one_may_be_reported_early(
    obligation: Obligation, people: People
) -> None:
    with on_day(IN_Q2):
        with pytest.raises(ValidationError) as refused:
            adoption_report_open(
                actor=people.unit_staff, obligation=obligation, period_start=datetime.date(2024, 7, 1)
            )
        assert "chưa bắt đầu" in refused.value.messages[0]
        current = adoption_report_open(
            actor=people.unit_staff, obligation=obligation, period_start=current_cycle(obligation).start
        )
    assert current.period_start == Q2
    assert AdoptionReport.objects.count() == 1


def test_a_cycle_before_the_obligation_or_not_starting_a_cycle_is_refused(
    obligation: Obligation, people: People
) -> None:
    with on_day(IN_Q2):
        for start in (datetime.date(2023, 10, 1), datetime.date(2024, 2, 1)):
            with pytest.raises(ValidationError):
                adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=start)
    assert not AdoptionReport.objects.exists()


def test_a_stale_edit_is_refused(obligation: Obligation, people: People) -> None:
    with on_day(IN_Q2):
        report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q1)
        adoption_report_save(
            actor=people.unit_head,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=report.version,
        )
        for version in (report.version, None):
            with pytest.raises(ValidationError) as refused:
                adoption_report_save(
                    actor=people.unit_staff,
                    obligation=obligation,
                    period_start=Q1,
                    content=ReportContent(adoption_status=AdoptionStatus.STUDYING),
                    version=version,
                )
            assert refused.value.code == "stale"
    assert fresh(report).adoption_status == AdoptionStatus.APPLIED


def test_an_obligation_handed_to_a_successor_takes_no_new_report(
    obligation: Obligation, people: People
) -> None:
    with on_day(IN_Q2):
        q1 = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q1)
    Obligation.objects.filter(pk=obligation.pk).update(ended_on=datetime.date(2024, 5, 1))
    obligation.refresh_from_db()
    with on_day(IN_Q2):
        with pytest.raises(ValidationError) as refused:
            adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q2)
        assert "chuyển giao" in refused.value.messages[0]
        # The report already begun may still be completed.
        adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=q1.version,
        )
    assert AdoptionReport.objects.count() == 1


def test_only_the_obliged_units_people_write_its_reports(obligation: Obligation, people: People) -> None:
    with on_day(IN_Q2):
        for actor in (people.outsider, people.reform_officer, people.leader):
            with pytest.raises(PermissionDenied):
                adoption_report_open(actor=actor, obligation=obligation, period_start=Q1)
            with pytest.raises(PermissionDenied):
                adoption_report_save(
                    actor=actor, obligation=obligation, period_start=Q1, content=APPLIED, version=None
                )
    assert not AdoptionReport.objects.exists()


def test_evidence_is_checked_and_a_disguised_file_refused(obligation: Obligation, people: People) -> None:
    with on_day(IN_Q2):
        report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q1)
        evidence = adoption_evidence_add(
            actor=people.unit_staff,
            report=report,
            upload=SimpleUploadedFile("Biên bản đối thoại.pdf", PDF),
            is_public=True,
        )
        with pytest.raises(ValidationError):
            adoption_evidence_add(
                actor=people.unit_staff,
                report=report,
                upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 10),
            )
    assert evidence.is_public and evidence.name == "Biên bản đối thoại.pdf"
    assert report.evidence.count() == 1


def test_evidence_comes_off_a_draft_but_not_off_a_sent_report(obligation: Obligation, people: People) -> None:
    with on_day(datetime.date(2024, 4, 5)):
        report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q1)
        first = adoption_evidence_add(
            actor=people.unit_staff, report=report, upload=SimpleUploadedFile("a.pdf", PDF)
        )
        second = adoption_evidence_add(
            actor=people.unit_staff, report=report, upload=SimpleUploadedFile("b.pdf", PDF)
        )
        adoption_evidence_remove(actor=people.unit_head, evidence=first)
        with pytest.raises(PermissionDenied):
            adoption_evidence_remove(actor=people.reform_officer, evidence=second)
        adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q1,
            content=APPLIED,
            version=report.version,
        )
        with pytest.raises(ValidationError):
            adoption_evidence_remove(actor=people.unit_staff, evidence=second)
    assert [e.name for e in report.evidence.all()] == ["b.pdf"]
    assert AuditEvent.objects.filter(action="adoption_report.evidence_remove").count() == 1


def test_the_obligation_keeps_its_latest_sent_report_through_sendings_and_returns(
    obligation: Obligation, people: People
) -> None:
    def kept() -> tuple[int | None, datetime.date | None, str]:
        row = Obligation.objects.get(pk=obligation.pk)
        return row.last_submitted_id, row.last_submitted_period, row.last_submitted_status

    assert kept() == (None, None, "")
    q1 = submitted_q1(obligation, people)
    assert kept() == (q1.pk, Q1, AdoptionStatus.APPLIED)
    stopped = ReportContent(adoption_status=AdoptionStatus.STOPPED, reason="Thiếu kinh phí duy trì")
    with on_day(IN_Q2):
        draft = adoption_report_save(
            actor=people.unit_staff, obligation=obligation, period_start=Q2, content=stopped, version=None
        )
        assert kept() == (q1.pk, Q1, AdoptionStatus.APPLIED)  # a draft says nothing yet
        q2 = adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q2,
            content=stopped,
            version=draft.version,
        )
        assert kept() == (q2.pk, Q2, AdoptionStatus.STOPPED)
        returned = adoption_report_return(
            actor=people.reform_officer, report=q2, note="Nêu rõ thời điểm dừng", version=q2.version
        )
        assert kept() == (q1.pk, Q1, AdoptionStatus.APPLIED)  # back to the last word still sent
        adoption_report_return(
            actor=people.reform_officer, report=fresh(q1), note="Bổ sung", version=q1.version
        )
        assert kept() == (None, None, "")
        adoption_report_submit(
            actor=people.unit_staff,
            obligation=obligation,
            period_start=Q2,
            content=stopped,
            version=returned.version,
        )
    assert kept() == (q2.pk, Q2, AdoptionStatus.STOPPED)

"""Demo monthly reports on the demo work program: every lead unit's report for each month of
2024 — most on time, some late, some never sent, one reopened by the Office for
corrections — and the Office's numbered monthly summaries, so the report and KPI pages
tell a story at first glance: a few exemplary departments, a steady middle and a handful
of units (and the legacy district) that report late and let their items slip.

Each report says, item by item, what the unit could have said on the day it was sent: an
item submitted by then is done, one past its month is delayed (with a cause, a remedy
and a date), one due in the month is on track. Everything goes through the services, so
the demo leaves the trail a user would."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from caicach.core.calendar import queries as calendar
from caicach.core.models import Membership, Unit, User
from caicach.workprogram.models import ItemStatus, LineStatus, ProgramItem, WorkProgram
from caicach.workprogram.programs.rules import UNIT_ROLES
from caicach.workprogram.reports.queries import LineInput, ReportContent, report_due_date, report_items
from caicach.workprogram.reports.rules import expected_units
from caicach.workprogram.reports.services import (
    monthly_report_reopen,
    monthly_report_submit,
    monthly_summary_issue,
    monthly_summary_save,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# How each unit keeps the reporting discipline: (chance a report is never sent, chance it is late).
EXEMPLARY, STEADY, STRUGGLING = (0.0, 0.08), (0.05, 0.25), (0.2, 0.5)
PROFILES = {
    "TN-SKHCN": EXEMPLARY,
    "TN-STP": EXEMPLARY,
    "TN-SNV": EXEMPLARY,
    "TN-VP": EXEMPLARY,
    "TN-STC": STEADY,
    "TN-SYT": STEADY,
    "TN-SGDDT": STEADY,
    "TN-SNNMT": STRUGGLING,
    "TN-SXD": STRUGGLING,
    "TN-SVHTTDL": STRUGGLING,
    "CT": STRUGGLING,
}

DELAY_CAUSES = (
    "Đang chờ ý kiến thẩm định của Sở Tư pháp đối với dự thảo.",
    "Các cơ quan phối hợp chậm gửi ý kiến góp ý đối với dự thảo.",
    "Nội dung phức tạp, liên quan nhiều ngành, cần thêm thời gian khảo sát, đánh giá thực tiễn.",
    "Chờ hướng dẫn của bộ, ngành Trung ương về nội dung có liên quan.",
    "Phải tổ chức lấy ý kiến rộng rãi của đối tượng chịu sự tác động theo quy định.",
    "Nhân sự tham mưu thay đổi, phải phân công lại cán bộ phụ trách.",
)
REMEDIES = (
    "Đôn đốc cơ quan thẩm định, phối hợp để hoàn thiện hồ sơ trình trong tháng.",
    "Tổ chức họp với các cơ quan liên quan để thống nhất các nội dung còn ý kiến khác nhau.",
    "Lãnh đạo Sở trực tiếp chỉ đạo, bổ sung nhân lực tham mưu.",
    "Có văn bản xin ý kiến bộ chuyên ngành; hoàn thiện dự thảo ngay khi có hướng dẫn.",
)
PROGRESS = (
    "Đã xây dựng dự thảo, đang lấy ý kiến các sở, ngành liên quan.",
    "Đang tổng hợp, tiếp thu ý kiến góp ý, hoàn thiện dự thảo.",
    "Đã gửi Sở Tư pháp thẩm định; dự kiến trình đúng thời hạn.",
    "Đang khảo sát, đánh giá thực trạng để xây dựng đề cương chi tiết.",
)
DIFFICULTIES = (
    "Một số cơ quan phối hợp chưa gửi ý kiến góp ý đúng thời hạn đề nghị.",
    "Biên chế phòng chuyên môn còn thiếu, một cán bộ phải phụ trách nhiều nhiệm vụ.",
    "Kinh phí thuê tư vấn xây dựng đề án chưa được bố trí kịp thời.",
    "Văn bản hướng dẫn của Trung ương chưa ban hành, chưa đủ căn cứ hoàn thiện dự thảo.",
    "",
    "",
    "",
)
RECOMMENDATIONS = (
    "Đề nghị Văn phòng UBND tỉnh đôn đốc các cơ quan phối hợp gửi ý kiến đúng thời hạn.",
    "Đề nghị UBND tỉnh xem xét bố trí kinh phí để thuê đơn vị tư vấn.",
    "Đề nghị Sở Tư pháp ưu tiên thẩm định các dự thảo văn bản quy phạm pháp luật đến hạn trình.",
    "",
    "",
    "",
)
# The report the Office sends back once, and why.
REOPENED = (
    "TN-SXD",
    6,
    "Đề nghị Sở bổ sung nguyên nhân, giải pháp và thời gian trình cụ thể của các nội dung chậm.",
)
SUMMARY_SIGNER = "Trần Quốc Hưng"


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 30, tzinfo=VN)


def _working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = []
    current = start
    while current <= end:
        if calendar.is_working_day(current):
            days.append(current)
        current += datetime.timedelta(days=1)
    return days


def _line(item: ProgramItem, period: datetime.date, sent_on: datetime.date, rng: random.Random) -> LineInput:
    """What the unit could say of ``item`` on ``sent_on``."""
    if item.submitted_on is not None and item.submitted_on <= sent_on:
        note = f"Đã trình UBND tỉnh ngày {item.submitted_on:%d/%m/%Y}"
        if item.submission_reference:
            note += f" (Tờ trình số {item.submission_reference})"
        return LineInput(item.pk, LineStatus.DONE, progress_note=note + ".")
    if item.due_month < period:
        expected = item.submitted_on if item.submitted_on and item.submitted_on >= period else None
        if expected is None:
            expected = period.replace(day=28) + datetime.timedelta(days=rng.choice((20, 35, 50)))
        return LineInput(
            item.pk,
            LineStatus.DELAYED,
            progress_note=rng.choice(PROGRESS),
            delay_cause=rng.choice(DELAY_CAUSES),
            remedy=rng.choice(REMEDIES),
            expected_date=expected,
        )
    return LineInput(item.pk, LineStatus.ON_TRACK, progress_note=rng.choice(PROGRESS))


def _lines(
    program: WorkProgram,
    unit: Unit,
    period: datetime.date,
    sent_on: datetime.date,
    items: Sequence[ProgramItem],
    rng: random.Random,
) -> tuple[LineInput, ...]:
    """The items the unit had open in the month (as things stood then), and at least every
    item the form asks about today."""
    required = {item.pk for item in report_items(program, unit, period)}
    chosen = [
        item
        for item in items
        if item.pk in required
        or (
            item.status != ItemStatus.POSTPONED
            and item.due_month <= period
            and (item.submitted_on is None or item.submitted_on >= period)
        )
    ]
    return tuple(_line(item, period, sent_on, rng) for item in chosen)


def _filers(units: Sequence[Unit], fallback: User) -> dict[int, User]:
    """Who sends each unit's report: one of its own people when the demo has an account
    there, else the administrator."""
    filers: dict[int, User] = {}
    for membership in (
        Membership.objects.filter(unit__in=units, role__in=UNIT_ROLES, is_active=True)
        .select_related("user")
        .order_by("-role", "user_id")
    ):
        filers.setdefault(membership.unit_id, membership.user)
    return {unit.pk: filers.get(unit.pk, fallback) for unit in units}


def load_demo_reports(*, program: WorkProgram) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    office = User.objects.filter(username="vanphong").first() or admin
    if admin is None or office is None:
        return
    rng = random.Random(2024)
    units = list(expected_units(program))
    filers = _filers(units, admin)
    items_by_unit: dict[int, list[ProgramItem]] = {}
    for item in (
        ProgramItem.objects.filter(program=program)
        .exclude(status=ItemStatus.WITHDRAWN)
        .order_by("due_month", "position", "pk")
    ):
        items_by_unit.setdefault(item.lead_unit_id, []).append(item)
    for month in range(1, 13):
        period = datetime.date(program.year, month, 1)
        due = report_due_date(program, period)
        on_time_days = _working_days(period + datetime.timedelta(days=4), due)
        late_days = _working_days(due + datetime.timedelta(days=1), due + datetime.timedelta(days=12))
        for unit in units:
            missing, late = PROFILES.get(unit.code, STEADY)
            if rng.random() < missing:
                continue
            sent_on = rng.choice(late_days if rng.random() < late else on_time_days)
            report = monthly_report_submit(
                actor=filers[unit.pk],
                program=program,
                unit=unit,
                period=period,
                content=ReportContent(
                    difficulties=rng.choice(DIFFICULTIES),
                    recommendations=rng.choice(RECOMMENDATIONS),
                    lines=_lines(program, unit, period, sent_on, items_by_unit.get(unit.pk, []), rng),
                ),
                version=None,
                at=_at(sent_on, hour=rng.choice((8, 9, 10, 14, 15, 16))),
            )
            if (unit.code, month) == REOPENED[:2]:
                reopened = monthly_report_reopen(
                    actor=office, report=report, version=report.version, reason=REOPENED[2]
                )
                monthly_report_submit(
                    actor=filers[unit.pk],
                    program=program,
                    unit=unit,
                    period=period,
                    content=ReportContent(
                        difficulties=report.difficulties or DIFFICULTIES[0],
                        recommendations=report.recommendations,
                        lines=_lines(program, unit, period, sent_on, items_by_unit.get(unit.pk, []), rng),
                    ),
                    version=reopened.version,
                    at=_at(sent_on + datetime.timedelta(days=3)),
                )
        _load_summary(program, period, due, office, issue=month < 12)


def _load_summary(
    program: WorkProgram, period: datetime.date, due: datetime.date, office: User, *, issue: bool
) -> None:
    """The Office's summary of the month, issued a week after the units' deadline (the last
    month's stays a draft)."""
    summary = monthly_summary_save(
        actor=office,
        program=program,
        period=period,
        data={
            "assessment": "Các cơ quan, đơn vị cơ bản thực hiện nghiêm chế độ báo cáo; một số đơn vị còn "
            "gửi báo cáo chậm, chưa nêu rõ nguyên nhân, giải pháp đối với các nội dung chậm trình.",
            "signer_name": SUMMARY_SIGNER,
        },
        version=None,
    )
    if issue:
        monthly_summary_issue(
            actor=office,
            summary=summary,
            version=summary.version,
            issued_on=calendar.add_working_days(due, 5),
        )

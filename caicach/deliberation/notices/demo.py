"""The demo province committee's meetings in 2024: a regular meeting each month whose agenda
is the work program's items originally due that month, the departments invited, dossiers
received (a few after their deadline, so they land on the proposed withdrawal list), one
item withdrawn by the chair (linked to the program's own adjustment request), a thematic and
a Party-committee meeting, attendance with two "wrong level" units, and the invitations and
conclusion notices issued through the services on their days. Deterministic (fixed 2024
dates, rows in a fixed order); the agenda and attendance rows are made through the ORM (the
meetings area owns their services), the documents through ``notices.services``.

The 2024 meetings are all past, so the proposed withdrawal list (which only holds items of
meetings still ahead) would be empty on any later day: one more regular meeting is placed two
working days after the day the demo is loaded, with one dossier on time, one received after
its deadline and one legal draft still missing its appraisal report — the list shows two."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.models import Unit, User
from caicach.deliberation.consultations.queries import settings_for
from caicach.deliberation.meetings.deadlines import deadlines_for
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    AttendeeLevel,
    DossierEntry,
    DossierEntryStatus,
    DossierPart,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    WithdrawalDecision,
)
from caicach.deliberation.notices.services import (
    PointDraft,
    conclusion_issue,
    conclusion_save,
    invitation_issue,
    invitation_save,
)
from caicach.workprogram.models import AdjustmentRequest, ProgramItem

YEAR = 2024
PLACE = "Phòng họp số 1, trụ sở UBND tỉnh"
RECIPIENTS = "Như trên;\nTT. Tỉnh ủy, TT. HĐND tỉnh;\nChủ tịch, các PCT UBND tỉnh;\nLưu: VT, VP."
# Always invited besides the agenda's lead units.
STANDING_INVITEES = ("TN-SNV", "TN-STC")
# (month, agenda position) of the dossiers that come in after their deadline.
LATE_DOSSIERS = ((3, 1), (7, 2), (10, 1))
# (month, unit code): sent a civil servant where the head was asked for.
WRONG_LEVEL = ((4, "TN-STC"), (8, "TN-SNV"))
POINT_TEXTS = (
    "Tiếp thu ý kiến các thành viên UBND, hoàn thiện dự thảo, trình UBND tỉnh ban hành",
    "Rà soát, bổ sung đánh giá tác động và nguồn lực thực hiện, báo cáo UBND tỉnh",
    "Phối hợp hướng dẫn các địa phương triển khai, tổng hợp khó khăn, vướng mắc",
    "Đôn đốc các cơ quan, đơn vị thực hiện đúng tiến độ; báo cáo kết quả tại phiên họp tháng sau",
    "Công khai nội dung trên Cổng thông tin điện tử tỉnh theo quy định",
)


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _meeting(
    committee: Unit, kind: str, title: str, day: datetime.date, chair: User, office: User
) -> Meeting:
    return Meeting.objects.create(
        committee=committee,
        kind=kind,
        title=title,
        date=day,
        starts_at=datetime.time(8, 0),
        place=PLACE,
        chair=chair,
        created_by=office,
        created_at=_at(day - datetime.timedelta(days=20)),
    )


def _agenda(meeting: Meeting, items: list[ProgramItem], month: int) -> list[AgendaItem]:
    rules = settings_for(meeting.committee)
    dates = deadlines_for(kind=meeting.kind, date=meeting.date, settings=rules)
    rows = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            title=item.title,
            program_item=item,
            lead_unit_id=item.lead_unit_id,
            is_legal_document=False,
            consult_by=dates.consult_by,
            dossier_due=dates.dossier_due,
            dossier_working_days=dates.dossier_working_days,
        )
        for position, item in enumerate(items, start=1)
    )
    entries = []
    for row in rows:
        late = (month, row.position) in LATE_DOSSIERS
        received = (
            calendar.add_working_days(row.dossier_due, 1)
            if late
            else calendar.working_day_before(row.dossier_due, 1)
        )
        for part, label in ((DossierPart.SUBMISSION, "Tờ trình"), (DossierPart.DRAFT, "Dự thảo văn bản")):
            entries.append(
                DossierEntry(
                    agenda_item=row,
                    part=part,
                    label=label,
                    status=DossierEntryStatus.RECEIVED,
                    received_on=received,
                    note="Gửi sau hạn" if late else "",
                    marked_at=_at(received, 15),
                )
            )
    DossierEntry.objects.bulk_create(entries)
    return rows


def _invite(meeting: Meeting, rows: list[AgendaItem], units: dict[str, Unit], month: int) -> None:
    unit_ids = list(
        dict.fromkeys(
            [row.lead_unit_id for row in rows] + [units[c].pk for c in STANDING_INVITEES if c in units]
        )
    )
    wrong = {units[code].pk for m, code in WRONG_LEVEL if m == month and code in units}
    Invitee.objects.bulk_create(
        Invitee(
            meeting=meeting,
            unit_id=unit_id,
            attended=True,
            attendee_level=AttendeeLevel.OTHER if unit_id in wrong else AttendeeLevel.HEAD,
            attendee_title="Chuyên viên" if unit_id in wrong else "Giám đốc Sở",
            is_wrong_level=unit_id in wrong,
            note="Cử chuyên viên dự họp thay Giám đốc" if unit_id in wrong else "",
        )
        for unit_id in unit_ids
    )


def _issue_documents(
    meeting: Meeting,
    rows: list[AgendaItem],
    *,
    office: User,
    chair: User,
    chief: User | None,
    conclude: bool,
    month: int,
) -> None:
    invited_on = calendar.working_day_before(meeting.date, 5)
    with clock.travel_to(_at(invited_on, 10)):
        document = invitation_save(
            actor=office, meeting=meeting, version=0, recipients=RECIPIENTS, signer=chair
        )
        invitation_issue(actor=chair, meeting=meeting, version=document.version)
    meeting.status = MeetingStatus.HELD
    meeting.version += 1
    meeting.save(update_fields=["status", "version"])
    AgendaItem.objects.filter(meeting=meeting, status=AgendaStatus.ON_AGENDA).update(
        status=AgendaStatus.DISCUSSED
    )
    if not conclude:
        return
    signer = chief or chair
    count = 3 + month % 4  # 3 to 6 points
    discussed = [row for row in rows if row.status != AgendaStatus.WITHDRAWN] or rows
    points = []
    for index in range(count):
        row = discussed[index % len(discussed)]
        lead = row.lead_unit
        task = _lower_first(POINT_TEXTS[index % len(POINT_TEXTS)])
        deadline = calendar.add_working_days(meeting.date, 10 + 5 * index)
        if deadline.year > YEAR:
            deadline = datetime.date(YEAR, 12, 31)
        points.append(
            PointDraft(
                content=f"Về {_lower_first(row.title)}: {task}.",
                lead_unit=lead,
                deadline=deadline,
                agenda_item=row,
            )
        )
    concluded_on = calendar.add_working_days(meeting.date, 2)
    with clock.travel_to(_at(concluded_on, 10)):
        document = conclusion_save(
            actor=office,
            meeting=meeting,
            version=0,
            points=points,
            summary="Các thành viên UBND tỉnh thống nhất với nội dung các tờ trình tại phiên họp.",
            recipients="Các cơ quan, đơn vị có tên trên;\nChủ tịch, các PCT UBND tỉnh;\nLưu: VT, VP.",
            signer=signer,
        )
        conclusion_issue(actor=signer, meeting=meeting, version=document.version)


def _withdraw_one(rows_by_month: dict[int, list[AgendaItem]], chair: User) -> None:
    """The chair withdraws the first agenda item whose program item went through the
    program's adjustment path (its request is linked; none found: the first late one)."""
    candidates = [row for month in sorted(rows_by_month) for row in rows_by_month[month]]
    requests = {
        request.item_id: request
        for request in AdjustmentRequest.objects.filter(
            item_id__in=[row.program_item_id for row in candidates]
        ).order_by("-pk")
    }
    chosen = next((row for row in candidates if row.program_item_id in requests), None)
    if chosen is None:
        chosen = next(
            (row for row in candidates if (row.meeting.date.month, row.position) in LATE_DOSSIERS), None
        )
    if chosen is None:
        return
    chosen.status = AgendaStatus.WITHDRAWN
    chosen.withdrawal_decision = WithdrawalDecision.WITHDRAW
    chosen.withdrawal_note = "Hồ sơ chưa hoàn thiện; đề nghị điều chỉnh chương trình công tác."
    chosen.withdrawal_decided_by = chair
    chosen.withdrawal_decided_at = _at(chosen.dossier_due, 16)
    chosen.adjustment_request = requests.get(chosen.program_item_id)
    chosen.save()


def load_demo_meetings() -> None:
    """Needs the organisation and accounts of caicach.core.demo and the work program's demo."""
    committee = Unit.objects.filter(code="TN").first()
    if committee is None or Meeting.objects.filter(committee=committee).exists():
        return
    people = {
        user.username: user
        for user in User.objects.filter(username__in=["vanphong", "chutich", "truong.vp", "lanhdao"])
    }
    office, chair = people.get("vanphong"), people.get("chutich")
    if office is None or chair is None:
        return
    chief = people.get("truong.vp")
    units = {unit.code: unit for unit in Unit.objects.filter(code__startswith="TN")}
    items = list(
        ProgramItem.objects.filter(program__issuing_unit=committee, original_due_month__year=YEAR)
        .select_related("lead_unit")
        .order_by("original_due_month", "position", "pk")
    )
    rows_by_month: dict[int, list[AgendaItem]] = {}
    meetings: dict[int, Meeting] = {}
    for month in range(1, 13):
        day = calendar.add_working_days(datetime.date(YEAR, month, 25), 0)
        meeting = _meeting(
            committee,
            MeetingKind.REGULAR,
            f"Phiên họp UBND tỉnh thường kỳ tháng {month} năm {YEAR}",
            day,
            chair,
            office,
        )
        due = [item for item in items if item.original_due_month.month == month][:4]
        rows_by_month[month] = _agenda(meeting, due, month)
        _invite(meeting, rows_by_month[month], units, month)
        meetings[month] = meeting
    _withdraw_one(rows_by_month, chair)
    for month, meeting in meetings.items():
        rows = list(meeting.agenda_items.select_related("lead_unit").order_by("position"))
        if not rows:
            continue
        # December's conclusion is not yet written at the end of the year.
        _issue_documents(
            meeting, rows, office=office, chair=chair, chief=chief, conclude=month < 12, month=month
        )
    extra = (
        (MeetingKind.THEMATIC, "Phiên họp UBND tỉnh chuyên đề về cải cách hành chính năm 2024", 6, 12),
        (MeetingKind.PARTY_COMMITTEE, "Họp Ban cán sự đảng UBND tỉnh quý III năm 2024", 9, 10),
    )
    for kind, title, month, dom in extra:
        day = calendar.add_working_days(datetime.date(YEAR, month, dom), 0)
        meeting = _meeting(committee, kind, title, day, chair, office)
        due = [item for item in items if item.original_due_month.month == month][:2] or items[:2]
        rows = _agenda(meeting, due, 0)
        _invite(meeting, rows, units, 0)
        _issue_documents(meeting, rows, office=office, chair=chair, chief=chief, conclude=True, month=month)


UPCOMING_MATTERS = (
    # (title, legal document, how its dossier stands)
    ("Dự thảo Kế hoạch kiểm soát thủ tục hành chính năm tới", False, "on_time"),
    ("Báo cáo kết quả thực hiện Chỉ số cải cách hành chính (PAR INDEX) năm nay", False, "late"),
    (
        "Dự thảo Quyết định ban hành Quy chế phối hợp giải quyết thủ tục hành chính liên thông",
        True,
        "no_appraisal",
    ),
)


@transaction.atomic
def load_demo_upcoming_meeting() -> None:
    """The meeting ahead of the load day, with its proposed withdrawals (see the module's note)."""
    from caicach.deliberation.dossiers.services import dossier_checklist_ensure

    committee = Unit.objects.filter(code="TN").first()
    people = {user.username: user for user in User.objects.filter(username__in=["vanphong", "chutich"])}
    office, chair = people.get("vanphong"), people.get("chutich")
    if committee is None or office is None or chair is None:
        return
    today = clock.today()
    if Meeting.objects.filter(committee=committee, date__gt=today).exists():
        return
    leads = list(
        ProgramItem.objects.filter(program__issuing_unit=committee)
        .order_by("lead_unit_id")
        .values_list("lead_unit_id", flat=True)
        .distinct()[: len(UPCOMING_MATTERS)]
    )
    if len(leads) < len(UPCOMING_MATTERS):
        return
    day = calendar.add_working_days(today, 2)
    meeting = _meeting(
        committee,
        MeetingKind.REGULAR,
        f"Phiên họp UBND tỉnh thường kỳ tháng {day.month} năm {day.year}",
        day,
        chair,
        office,
    )
    dates = deadlines_for(kind=meeting.kind, date=day, settings=settings_for(committee))
    rows = []
    for position, ((title, legal, state), lead) in enumerate(zip(UPCOMING_MATTERS, leads, strict=True), 1):
        row = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title,
            lead_unit_id=lead,
            is_legal_document=legal,
            consult_by=dates.consult_by,
            dossier_due=dates.dossier_due,
            dossier_working_days=dates.dossier_working_days,
        )
        dossier_checklist_ensure(row)
        on_time = calendar.working_day_before(dates.dossier_due, 1)
        received = today if state == "late" else on_time
        marked = row.dossier_entries.filter(is_required=True)
        if state == "no_appraisal":
            marked = marked.exclude(part=DossierPart.APPRAISAL)
        marked.update(
            status=DossierEntryStatus.RECEIVED,
            received_on=received,
            marked_by=office,
            marked_at=_at(received, 15),
            note="Gửi sau hạn" if state == "late" else "",
        )
        rows.append(row)
    # Invited, attendance not yet known.
    Invitee.objects.bulk_create(Invitee(meeting=meeting, unit_id=lead) for lead in dict.fromkeys(leads))

"""The meeting services: each rule and each refusal (a Vietnamese message, nothing changed),
the agenda proposed from the program, and the deadlines stored on every item — recomputed
when the meeting moves, across Tết 2026 and a make-up Saturday (caicach/core/calendar/data:
Tết off Saturday 14 to Sunday 22 February 2026; Saturday 22 August 2026 worked for Monday 31
August)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caicach.core.models import AuditEvent, User
from caicach.deliberation.meetings.queries import meetings_to_prepare, proposals
from caicach.deliberation.meetings.services import (
    agenda_add_matter,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    invitee_record,
    invitees_set,
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    meeting_update,
)
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    DeliberationSettings,
    Invitee,
    Meeting,
    MeetingStatus,
)
from caicach.workprogram.models import ItemStatus
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.deliberation.factories import draft, make_committee
from tests.deliberation.meetings.factories import (
    DOSSIER_DUE,
    MEETING_DAY,
    OCTOBER,
    TODAY,
    program_item,
    schedule,
    with_agenda,
)
from tests.refusals import assert_refused
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = pytest.mark.django_db


def refused(call: Callable[[], Any], state: Callable[[], Any], message: str) -> None:
    """A refusal in Vietnamese that changes nothing (and writes no audit event)."""
    before = (AuditEvent.objects.count(), state())
    with pytest.raises(ValidationError) as caught:
        call()
    assert message in " ".join(caught.value.messages)
    assert (AuditEvent.objects.count(), state()) == before


def meeting_state(meeting: Meeting) -> Any:
    return (
        Meeting.objects.values_list("status", "date", "kind", "title", "version").get(pk=meeting.pk),
        list(
            AgendaItem.objects.filter(meeting=meeting).values_list("pk", "position", "dossier_due", "status")
        ),
        list(Invitee.objects.filter(meeting=meeting).values_list("unit_id", "attended", "is_wrong_level")),
    )


def update(people: People, meeting: Meeting, **changes: Any) -> Meeting:
    meeting.refresh_from_db()
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.date,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "notes": meeting.notes,
        **changes,
    }
    with on_day(TODAY):
        return meeting_update(
            actor=people.office_officer, meeting=meeting, data=data, version=meeting.version
        )


# --- Scheduling ---------------------------------------------------------------------------------


def test_the_office_schedules_a_meeting_with_a_sensible_title(org: Org, people: People) -> None:
    committee = make_committee(org, people)
    meeting = schedule(people, org, chair=committee.vice)
    assert meeting.title == "Phiên họp UBND thường kỳ tháng 10/2026"
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.chair == committee.vice
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(meeting.pk)).count() == 1
    party = schedule(people, org, kind="party_committee")
    assert party.title == "Họp Ban cán sự đảng UBND tháng 10/2026"


def test_scheduling_refusals(org: Org, people: People) -> None:
    committee = make_committee(org, people)
    count = Meeting.objects.count

    def on(day: datetime.date, **kw: Any) -> Callable[[], Any]:
        return lambda: schedule(people, org, day=day, **kw)

    refused(on(datetime.date(2026, 2, 17)), count, "Ngày 17/02/2026 là ngày nghỉ")  # Tết
    refused(on(datetime.date(2026, 10, 24)), count, "là ngày nghỉ")  # a Saturday
    refused(on(MEETING_DAY, chair=committee.member), count, "Chủ trì phải là Chủ tịch hoặc Phó Chủ tịch")
    refused(on(MEETING_DAY, kind="picnic"), count, "Loại phiên họp không hợp lệ")
    # A make-up Saturday is a working day: the committee may meet.
    assert schedule(people, org, day=datetime.date(2026, 8, 22)).date.weekday() == 5
    for stranger in (committee.vice, people.unit_head, people.outsider):

        def create(actor: User = stranger) -> Meeting:
            return meeting_create(
                actor=actor, committee=org.province, data={"kind": "regular", "date": MEETING_DAY}
            )

        assert_refused(create, count)


# --- The agenda proposed from the program --------------------------------------------------------


def test_the_proposal_is_the_committees_program_items_due_that_month(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    due = program_item(org, title="Đề án A")
    submitted = program_item(org, title="Đề án B", status=ItemStatus.SUBMITTED)
    program_item(org, title="Đề án tháng sau", due=datetime.date(2026, 11, 1))
    program_item(org, title="Đề án đã ban hành", status=ItemStatus.ISSUED)
    party = program_item(org, title="Đề án trình Ban cán sự")
    party.submission_kind = "party_committee"
    party.save()
    make_item(make_bare_program(org.district, year=2026), org.district_home_affairs, OCTOBER, title="Huyện")
    elsewhere = program_item(org, title="Đã ở phiên họp khác")
    thematic = schedule(people, org, day=datetime.date(2026, 10, 28), kind="thematic")
    with_agenda(people, thematic, [elsewhere])
    assert list(proposals(meeting)) == [due, submitted]
    party_meeting = schedule(people, org, kind="party_committee")
    assert list(proposals(party_meeting)) == [party]
    # Withdrawn from the other meeting: proposable again.
    AgendaItem.objects.filter(program_item=elsewhere).update(status=AgendaStatus.WITHDRAWN)
    assert elsewhere in proposals(meeting)


def test_adding_proposals_stores_the_deadlines(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    first, second = program_item(org), program_item(org)
    consultation = draft(org, people)
    consultation.program_item = second
    consultation.save()
    items = with_agenda(people, meeting, [second, first])
    assert [(i.program_item, i.position) for i in items] == [(first, 1), (second, 2)]
    for item in items:
        assert item.dossier_due == DOSSIER_DUE and item.dossier_working_days == 3
        assert item.consult_by == datetime.date(2026, 10, 12)  # the 10th is a Saturday
        assert item.lead_unit == org.science and item.status == AgendaStatus.ON_AGENDA
    assert items[1].consultation == consultation  # its members' consultation, linked
    assert AuditEvent.objects.filter(action="agenda_item.add").count() == 2
    refused(
        lambda: with_agenda(people, meeting, [first]),
        lambda: meeting_state(meeting),
        "Không thể đưa vào phiên họp",
    )
    refused(lambda: with_agenda(people, meeting, []), lambda: meeting_state(meeting), "Vui lòng chọn")


def test_a_free_text_matter_needs_a_lead_unit_of_the_committee(org: Org, people: People) -> None:
    meeting = schedule(people, org)

    def add(**kw: Any) -> Callable[[], Any]:
        values = {"title": "Báo cáo tình hình kinh tế - xã hội", "lead_unit": org.home_affairs, **kw}
        return lambda: agenda_add_matter(actor=people.office_officer, meeting=meeting, **values)

    refused(add(lead_unit=None), lambda: meeting_state(meeting), "Vui lòng chọn cơ quan chủ trì")
    refused(add(title="  "), lambda: meeting_state(meeting), "Vui lòng nhập nội dung")
    with on_day(TODAY):
        item = add()()
    assert item.program_item is None and item.dossier_due == DOSSIER_DUE
    assert_refused(
        lambda: agenda_add_matter(actor=people.unit_head, meeting=meeting, title="X", lead_unit=org.science),
        lambda: meeting_state(meeting),
    )


# --- Moving the meeting recomputes every item's deadlines ---------------------------------------


def test_moving_the_meeting_right_after_tet_recomputes_the_deadlines(org: Org, people: People) -> None:
    meeting = schedule(people, org, day=datetime.date(2026, 2, 26))
    items = [
        agenda_add_matter(
            actor=people.office_officer, meeting=meeting, title=f"Nội dung {n}", lead_unit=org.science
        )
        for n in (1, 2)
    ]
    assert {i.dossier_due for i in items} == {datetime.date(2026, 2, 23)}
    update(people, meeting, date=datetime.date(2026, 2, 23))  # the Monday after Tết
    stored = set(AgendaItem.objects.filter(meeting=meeting).values_list("dossier_due", "consult_by"))
    # 13, 12, 11 February: the nine days of Tết do not count.
    assert stored == {(datetime.date(2026, 2, 11), datetime.date(2026, 2, 10))}
    event = AuditEvent.objects.filter(action="meeting.update").get()
    assert "Tính lại hạn của 2 nội dung" in event.message
    # The Party committee's dossiers: two working days.
    update(people, meeting, kind="party_committee")
    assert set(
        AgendaItem.objects.filter(meeting=meeting).values_list("dossier_due", "dossier_working_days")
    ) == {(datetime.date(2026, 2, 12), 2)}


def test_moving_the_meeting_across_a_make_up_saturday(org: Org, people: People) -> None:
    meeting = schedule(people, org, day=datetime.date(2026, 8, 27))
    agenda_add_matter(actor=people.office_officer, meeting=meeting, title="Nội dung", lead_unit=org.science)
    assert AgendaItem.objects.get().dossier_due == datetime.date(2026, 8, 24)
    update(people, meeting, date=datetime.date(2026, 8, 25))
    # 24 August, Saturday 22 (worked for Monday 31), then Friday 21 — not Thursday 20.
    assert AgendaItem.objects.get().dossier_due == datetime.date(2026, 8, 21)


def test_the_deadlines_follow_the_committees_settings(org: Org, people: People) -> None:
    DeliberationSettings.objects.create(unit=org.province, committee_dossier_working_days=5, consult_by_day=5)
    meeting = schedule(people, org)
    item = agenda_add_matter(actor=people.office_officer, meeting=meeting, title="X", lead_unit=org.science)
    assert (item.dossier_due, item.dossier_working_days) == (datetime.date(2026, 10, 14), 5)
    assert item.consult_by == datetime.date(2026, 10, 5)


def test_editing_refusals(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    state = lambda: meeting_state(meeting)  # noqa: E731
    stale = {"kind": "regular", "date": datetime.date(2026, 10, 22), "title": "X"}
    refused(
        lambda: meeting_update(actor=people.office_officer, meeting=meeting, data=stale, version=99),
        state,
        "đã được người khác thay đổi",
    )
    refused(lambda: update(people, meeting, date=datetime.date(2026, 9, 2)), state, "là ngày nghỉ")
    assert_refused(
        lambda: meeting_update(actor=people.leader, meeting=meeting, data=stale, version=meeting.version),
        state,
    )


# --- Cancel, held, remove, move, edit ------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_closes_the_meeting(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    state = lambda: meeting_state(meeting)  # noqa: E731

    def cancel(reason: str) -> Meeting:
        meeting.refresh_from_db()
        return meeting_cancel(
            actor=people.office_officer, meeting=meeting, reason=reason, version=meeting.version
        )

    refused(lambda: cancel(" "), state, "Vui lòng nêu lý do hủy phiên họp")
    assert cancel("Lãnh đạo đi công tác").status == MeetingStatus.CANCELLED
    assert_refused(lambda: cancel("Lần nữa"), state)
    assert_refused(lambda: update(people, meeting, title="Y"), state)


def test_marking_held_only_from_the_meeting_day(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    (item,) = with_agenda(people, meeting, [program_item(org)])
    state = lambda: meeting_state(meeting)  # noqa: E731
    with on_day(TODAY):
        refused(
            lambda: meeting_mark_held(actor=people.office_officer, meeting=meeting, version=meeting.version),
            state,
            "Chưa đến ngày họp (21/10/2026)",
        )
    with on_day(MEETING_DAY):
        meeting_mark_held(actor=people.office_officer, meeting=meeting, version=meeting.version)
    item.refresh_from_db()
    assert item.status == AgendaStatus.DISCUSSED
    refused(
        lambda: agenda_item_remove(actor=people.office_officer, item=item, version=item.version),
        state,
        "Nội dung đã thảo luận hoặc đã rút",
    )


def test_removing_and_reordering_the_agenda(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    a, b, c = with_agenda(people, meeting, [program_item(org) for _ in range(3)])
    state = lambda: meeting_state(meeting)  # noqa: E731
    refused(
        lambda: agenda_item_move(actor=people.office_officer, item=a, up=True, version=a.version),
        state,
        "Nội dung đã ở đầu danh sách",
    )
    moved = agenda_item_move(actor=people.office_officer, item=c, up=True, version=c.version)
    assert moved.position == 2
    assert list(AgendaItem.objects.order_by("position").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    refused(
        lambda: agenda_item_move(actor=people.office_officer, item=c, up=True, version=c.version),
        state,
        "đã được người khác thay đổi",
    )
    agenda_item_remove(actor=people.office_officer, item=a, version=a.version)
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [c.pk, b.pk]
    assert AuditEvent.objects.filter(action="agenda_item.remove", object_id=str(meeting.pk)).count() == 1
    # The program item is free again.
    assert a.program_item_id in set(proposals(meeting).values_list("pk", flat=True))


def test_editing_an_item_links_only_a_consultation_of_the_same_committee(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    item = agenda_add_matter(actor=people.office_officer, meeting=meeting, title="X", lead_unit=org.science)
    mine = draft(org, people)
    foreign = draft(org, people)
    foreign.committee = org.district
    foreign.save()

    def edit(**kw: Any) -> AgendaItem:
        item.refresh_from_db()
        data = {"title": "Tờ trình dự thảo Quyết định", "presenter": "Giám đốc Sở", "is_legal_document": True}
        return agenda_item_update(
            actor=people.office_officer, item=item, data={**data, **kw}, version=item.version
        )

    refused(lambda: edit(consultation=foreign), lambda: meeting_state(meeting), "cùng UBND")
    saved = edit(consultation=mine)
    assert (saved.title, saved.presenter, saved.is_legal_document, saved.consultation) == (
        "Tờ trình dự thảo Quyết định",
        "Giám đốc Sở",
        True,
        mine,
    )
    assert AuditEvent.objects.filter(action="agenda_item.update").count() == 1


# --- Invitees and attendance ---------------------------------------------------------------------


def test_invitees_and_whom_they_sent(org: Org, people: People) -> None:
    meeting = schedule(people, org)
    state = lambda: meeting_state(meeting)  # noqa: E731
    # A district's division answers to the district's committee: the district is invited.
    refused(
        lambda: invitees_set(actor=people.office_officer, meeting=meeting, units=[org.district_home_affairs]),
        state,
        "Chỉ mời được đơn vị thuộc phạm vi của UBND này",
    )
    invitees_set(actor=people.office_officer, meeting=meeting, units=[org.science, org.district])
    invitees_set(actor=people.office_officer, meeting=meeting, units=[org.science, org.home_affairs])
    science = Invitee.objects.get(unit=org.science)
    home = Invitee.objects.get(unit=org.home_affairs)

    def record(invitee: Invitee, **data: Any) -> Invitee:
        invitee.refresh_from_db()
        invitee.meeting = meeting
        return invitee_record(
            actor=people.office_officer, invitee=invitee, data=data, version=invitee.version
        )

    refused(lambda: record(science), state, "Vui lòng chọn đơn vị có dự họp hay không")
    refused(lambda: record(science, attended=True, attendee_level="deputy"), state, "Vui lòng nhập họ tên")
    sent = record(
        science, attended=True, attendee_name="Lê Văn B", attendee_title="Chuyên viên", attendee_level="other"
    )
    assert sent.is_wrong_level  # below the head asked for
    kept = record(home, attended=True, attendee_name="Trần C", attendee_level="deputy", is_wrong_level=False)
    assert not kept.is_wrong_level  # the Office judged the deputy acceptable
    absent = record(home, attended=False, attendee_name="ignored")
    assert (absent.attendee_name, absent.is_wrong_level) == ("", False)
    refused(
        lambda: invitees_set(actor=people.office_officer, meeting=meeting, units=[org.home_affairs]),
        state,
        "Đã ghi nhận dự họp của Sở Khoa học và Công nghệ",
    )
    assert AuditEvent.objects.filter(action="invitee.record").count() == 3
    assert_refused(
        lambda: invitee_record(
            actor=people.unit_head, invitee=sent, data={"attended": False}, version=sent.version
        ),
        state,
    )


def test_invitees_outside_the_committees_jurisdiction_are_refused(org: Org, people: People) -> None:
    # The district's Office covers only the district.
    district_office = person("vpqh", org.district, "office_officer", full_name="Văn Phòng Huyện")
    with on_day(TODAY):
        meeting = meeting_create(
            actor=district_office, committee=org.district, data={"kind": "regular", "date": MEETING_DAY}
        )
    refused(
        lambda: invitees_set(actor=district_office, meeting=meeting, units=[org.science]),
        lambda: meeting_state(meeting),
        "Chỉ mời được đơn vị thuộc phạm vi của UBND này",
    )


# --- The Office's to-do -----------------------------------------------------------------------


def test_the_to_do_lists_meetings_soon_without_agenda_or_invitees(org: Org, people: People) -> None:
    committee = make_committee(org, people)
    soon = schedule(people, org, day=datetime.date(2026, 10, 13))
    ready = schedule(people, org, day=datetime.date(2026, 10, 14))
    with_agenda(people, ready, [program_item(org)])
    invitees_set(actor=people.office_officer, meeting=ready, units=[org.science])
    schedule(people, org, day=datetime.date(2026, 10, 28))  # beyond ten working days
    with on_day(TODAY):
        entry = meetings_to_prepare(people.office_officer, 5)
        assert entry is not None and entry.count == 1
        assert entry.items[0].label == soon.title and "chưa có nội dung" in entry.items[0].detail
        for other in (committee.vice, committee.member, people.unit_head, people.admin):
            assert meetings_to_prepare(other, 5) is None

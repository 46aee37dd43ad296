"""Lateness and the proposed withdrawal list on the right working day: the deadlines come
from the calendar (Tết 2026, the make-up Saturday of January 2026); a dossier received on
its due day is on time, on the next working day late; a missing appraisal report makes a
legal document's dossier incomplete; the list fills itself the day after the due day."""

from __future__ import annotations

import datetime

import pytest

from caicach.deliberation.dossiers.queries import dossier_state, entries_of, listed, withdrawal_list
from caicach.deliberation.models import AgendaStatus, DossierPart, MeetingStatus
from tests.conftest import Org, People, on_day
from tests.deliberation.dossiers.factories import (
    AFTER_TET,
    AFTER_TET_DUE,
    AFTER_TET_NEXT_WORKING_DAY,
    MAKE_UP,
    MAKE_UP_DUE,
    MAKE_UP_SATURDAY,
    add_agenda_item,
    make_meeting,
    receive,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def listed_on(people: People, day: datetime.date) -> list[str]:
    with on_day(day):
        return list(withdrawal_list(people.office_officer).values_list("title", flat=True))


def test_the_deadlines_come_from_the_calendar(org: Org) -> None:
    after_tet = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science)
    make_up = add_agenda_item(make_meeting(org.province, MAKE_UP), org.science)
    assert after_tet.dossier_due == AFTER_TET_DUE  # before the nine days off of Tết
    assert make_up.dossier_due == MAKE_UP_DUE  # the make-up Saturday counts as a working day


def test_after_tet_an_empty_dossier_is_listed_the_day_after_the_due_day_not_before(
    org: Org, people: People
) -> None:
    add_agenda_item(make_meeting(org.province, AFTER_TET), org.science, title="Chưa gửi hồ sơ")
    assert listed_on(people, AFTER_TET_DUE) == []  # the due day has not ended
    assert listed_on(people, AFTER_TET_DUE + DAY) == ["Chưa gửi hồ sơ"]  # Saturday 14, Tết begins
    assert listed_on(people, AFTER_TET_NEXT_WORKING_DAY) == ["Chưa gửi hồ sơ"]
    assert listed_on(people, AFTER_TET) == ["Chưa gửi hồ sơ"]  # the meeting day itself
    assert listed_on(people, AFTER_TET + DAY) == []  # the meeting is past


def test_after_tet_a_dossier_received_on_the_due_day_is_on_time(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science, title="Đúng hạn")
    receive(item, people.office_officer, AFTER_TET_DUE)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        state = dossier_state(item, entries_of(item))
    assert not state.late and not state.incomplete and not state.proposed_for_withdrawal
    assert listed_on(people, AFTER_TET_NEXT_WORKING_DAY) == []


def test_after_tet_a_dossier_received_on_the_next_working_day_is_late_and_listed(
    org: Org, people: People
) -> None:
    item = add_agenda_item(make_meeting(org.province, AFTER_TET), org.science, title="Sau Tết mới gửi")
    receive(item, people.office_officer, AFTER_TET_NEXT_WORKING_DAY)
    with on_day(AFTER_TET_NEXT_WORKING_DAY):
        rows = list(withdrawal_list(people.office_officer))
        state = listed(rows)[0].state
    assert [row.title for row in rows] == ["Sau Tết mới gửi"]
    assert state.late and not state.incomplete
    assert state.reasons == ["Hồ sơ đến Văn phòng ngày 23/02/2026, sau hạn 13/02/2026"]


def test_across_the_make_up_saturday_the_saturday_is_the_next_working_day(org: Org, people: People) -> None:
    on_time = add_agenda_item(make_meeting(org.province, MAKE_UP), org.science, title="Gửi thứ Sáu")
    late = add_agenda_item(on_time.meeting, org.science, title="Gửi thứ Bảy làm bù")
    receive(on_time, people.office_officer, MAKE_UP_DUE)
    receive(late, people.office_officer, MAKE_UP_SATURDAY)
    assert listed_on(people, MAKE_UP_DUE) == []
    assert listed_on(people, MAKE_UP_SATURDAY) == ["Gửi thứ Bảy làm bù"]
    with on_day(MAKE_UP_SATURDAY):
        assert dossier_state(late, entries_of(late)).reasons == [
            "Hồ sơ đến Văn phòng ngày 10/01/2026, sau hạn 09/01/2026"
        ]


def test_a_legal_document_without_its_appraisal_report_is_incomplete(org: Org, people: People) -> None:
    item = add_agenda_item(
        make_meeting(org.province, MAKE_UP),
        org.science,
        title="Dự thảo Quyết định quy phạm",
        is_legal_document=True,
    )
    parts = (DossierPart.SUBMISSION, DossierPart.DRAFT, DossierPart.OPINIONS)
    receive(item, people.office_officer, MAKE_UP_DUE, parts=parts)
    with on_day(MAKE_UP_DUE):
        state = dossier_state(item, entries_of(item))
        assert state.incomplete and not state.late and not state.proposed_for_withdrawal
    with on_day(MAKE_UP_SATURDAY):
        state = dossier_state(item, entries_of(item))
    assert state.late and state.proposed_for_withdrawal
    assert state.reasons == ["Thiếu: Báo cáo thẩm định"]
    assert listed_on(people, MAKE_UP_SATURDAY) == ["Dự thảo Quyết định quy phạm"]


def test_an_optional_part_never_puts_an_item_on_the_list(org: Org, people: People) -> None:
    item = add_agenda_item(make_meeting(org.province, MAKE_UP), org.science)
    receive(item, people.office_officer, MAKE_UP_DUE)  # the required parts only
    assert listed_on(people, MAKE_UP_SATURDAY) == []
    assert item.dossier_entries.filter(part=DossierPart.OTHER, status="pending").exists()


def test_items_off_the_agenda_and_meetings_held_or_cancelled_are_not_listed(org: Org, people: People) -> None:
    meeting = make_meeting(org.province, MAKE_UP)
    add_agenda_item(meeting, org.science, title="Dự kiến", status=AgendaStatus.PROPOSED)
    add_agenda_item(meeting, org.science, title="Đã rút", status=AgendaStatus.WITHDRAWN)
    add_agenda_item(
        make_meeting(org.province, MAKE_UP, status=MeetingStatus.CANCELLED), org.science, title="Hủy"
    )
    add_agenda_item(meeting, org.science, title="Không có danh mục", checklist=False)
    assert listed_on(people, MAKE_UP_SATURDAY) == ["Không có danh mục"]
    with on_day(MAKE_UP_SATURDAY):
        row = withdrawal_list(people.office_officer).get()
        assert listed([row])[0].state.reasons == ["Chưa nhận hồ sơ"]


def test_a_party_committee_dossier_is_due_two_working_days_before(org: Org) -> None:
    item = add_agenda_item(make_meeting(org.province, MAKE_UP, kind="party_committee"), org.science)
    assert item.dossier_due == MAKE_UP_SATURDAY
    assert item.dossier_working_days == 2


def test_the_list_query_and_the_state_of_each_item_agree_on_every_day(org: Org, people: People) -> None:
    """``proposed_withdrawals_q`` (the database) and ``DossierState.proposed_for_withdrawal``
    (the pages) are twins: over a mix of items and days they pick the same ones."""
    after_tet = make_meeting(org.province, AFTER_TET)
    make_up = make_meeting(org.province, MAKE_UP)
    held = make_meeting(org.province, MAKE_UP, status=MeetingStatus.HELD)
    items = [
        add_agenda_item(after_tet, org.science, title="Trống"),
        add_agenda_item(after_tet, org.science, title="Không danh mục", checklist=False),
        add_agenda_item(after_tet, org.science, title="Dự kiến", status=AgendaStatus.PROPOSED),
        add_agenda_item(make_up, org.science, title="QPPL", is_legal_document=True),
        add_agenda_item(make_up, org.science, title="Đủ"),
        add_agenda_item(make_up, org.science, title="Trễ"),
        add_agenda_item(held, org.science, title="Đã họp"),
    ]
    receive(items[3], people.office_officer, MAKE_UP_DUE, parts=("submission", "draft", "opinions"))
    receive(items[4], people.office_officer, MAKE_UP_DUE)
    receive(items[5], people.office_officer, MAKE_UP_SATURDAY)
    receive(items[0], people.office_officer, AFTER_TET_DUE, parts=("submission",))
    kept = add_agenda_item(make_up, org.science, title="Giữ lại")
    kept.withdrawal_decision = "keep"
    kept.save(update_fields=["withdrawal_decision"])
    items.append(kept)
    days = [
        MAKE_UP_DUE,
        MAKE_UP_SATURDAY,
        MAKE_UP,
        MAKE_UP + DAY,
        AFTER_TET_DUE,
        AFTER_TET_DUE + DAY,
        AFTER_TET,
    ]
    for day in days:
        with on_day(day):
            listed_ids = set(withdrawal_list(people.office_officer).values_list("pk", flat=True))
            stated = {
                item.pk for item in items if dossier_state(item, entries_of(item)).proposed_for_withdrawal
            }
        assert listed_ids == stated, day
    with on_day(MAKE_UP_SATURDAY):
        assert set(withdrawal_list(people.office_officer).values_list("title", flat=True)) == {"QPPL", "Trễ"}

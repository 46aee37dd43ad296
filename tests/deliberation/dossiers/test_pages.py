"""The dossier pages: who sees what (the rules and their list twins agree; outsiders and
committee members get 404, anonymous visitors the login page), the Office marking a part
through the page, the chair's decision with its confirmation, stale clicks answered with a
message, the panels the meeting pages include, the to-do, and query ceilings that do not
grow with the rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core.models import Unit, User
from caicach.core.permissions import can
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.deliberation.dossiers.queries import agenda_item_panel, meeting_panel, withdrawals_to_put
from caicach.deliberation.dossiers.rules import dossier_items_for, withdrawal_committees_for
from caicach.deliberation.models import AgendaItem, AgendaStatus, DossierEntry, DossierPart, Meeting
from caicach.workprogram.models import ItemStatus
from tests.conftest import Org, People, on_day
from tests.deliberation.dossiers.factories import (
    AFTER_TET,
    AFTER_TET_DUE,
    AFTER_TET_NEXT_WORKING_DAY,
    add_agenda_item,
    entry,
    make_meeting,
    pdf,
    receive,
)
from tests.deliberation.factories import Committee, make_committee
from tests.workprogram.factories import add_item, make_program, month

pytestmark = pytest.mark.django_db
LISTED_DAY = AFTER_TET_NEXT_WORKING_DAY


@pytest.fixture
def committee(org: Org, people: People) -> Committee:
    return make_committee(org, people)


@pytest.fixture
def meeting(org: Org, committee: Committee) -> Meeting:
    return make_meeting(org.province, AFTER_TET, chair=committee.chairman)


@pytest.fixture
def late(org: Org, people: People, meeting: Meeting) -> AgendaItem:
    """An item of the science department whose dossier came the first working day after Tết."""
    item = add_agenda_item(meeting, org.science, title="Đề án số hóa hồ sơ")
    receive(item, people.office_officer, LISTED_DAY)
    return item


def personas(people: People, committee: Committee) -> dict[str, User]:
    return {
        "admin": people.admin,
        "office_officer": people.office_officer,
        "chairman": committee.chairman,
        "vice": committee.vice,
        "unit_head": people.unit_head,  # the lead unit
        "unit_staff": people.unit_staff,
        "member": committee.member,
        "third": committee.third,
        "reform_officer": people.reform_officer,
        "outsider": people.outsider,
    }


def test_the_rules_and_their_list_twins_agree_for_every_persona(
    org: Org, people: People, committee: Committee, meeting: Meeting, late: AgendaItem
) -> None:
    other = add_agenda_item(make_meeting(org.district, AFTER_TET), org.district_home_affairs, title="Huyện")
    items = [late, other, add_agenda_item(meeting, org.home_affairs, title="Sở Nội vụ")]
    units = list(Unit.objects.all())
    for name, user in personas(people, committee).items():
        assert set(dossier_items_for(user).values_list("pk", flat=True)) == {
            item.pk for item in items if can(user, "view_dossier", item)
        }, name
        assert set(withdrawal_committees_for(user).values_list("pk", flat=True)) == {
            unit.pk for unit in units if can(user, "deliberation.withdrawal_list", unit)
        }, name


def expected(name: str, page: str) -> int:
    """The status each persona gets: the dossier is for the Office, the committee's leaders,
    the meeting's chair and the lead unit; the lists for the Office and the leaders; the
    decision for the Office and the chair (others who see the dossier are sent back to it
    with a message)."""
    sees_dossier = name in ("admin", "office_officer", "chairman", "vice", "unit_head", "unit_staff")
    sees_lists = name in ("admin", "office_officer", "chairman", "vice")
    if page in ("dossier", "file"):
        return 200 if sees_dossier else 404
    if page == "decide":
        if name in ("admin", "office_officer", "chairman"):
            return 200
        return 302 if sees_dossier else 404
    return 200 if sees_lists else 404


def test_the_permission_matrix_of_every_page(
    client: Client, people: People, committee: Committee, meeting: Meeting, late: AgendaItem
) -> None:
    row = entry(late, DossierPart.SUBMISSION)
    pages = {
        "dossier": reverse("deliberation:dossier_detail", args=[late.pk]),
        "file": reverse("deliberation:dossier_entry_file", args=[row.pk]),
        "decide": reverse("deliberation:withdrawal_decide", args=[late.pk]),
        "meeting_list": reverse("deliberation:meeting_withdrawal_list", args=[meeting.pk]),
        "meeting_print": reverse("deliberation:meeting_withdrawal_list_print", args=[meeting.pk]),
        "list": reverse("deliberation:withdrawal_list"),
        "print": reverse("deliberation:withdrawal_list_print"),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert (response.status_code == 302 and "/dang-nhap/" in response["Location"]) or "login" in response[
            "Location"
        ], page
    with on_day(LISTED_DAY):
        for name, user in personas(people, committee).items():
            client.force_login(user)
            for page, url in pages.items():
                assert client.get(url).status_code == expected(name, page), (name, page)


def test_the_office_marks_a_part_received_through_the_page(
    client: Client, org: Org, people: People, meeting: Meeting
) -> None:
    item = add_agenda_item(meeting, org.science)
    row = entry(item, DossierPart.SUBMISSION)
    client.force_login(people.office_officer)
    url = reverse("deliberation:dossier_entry_mark", args=[row.pk])
    with on_day(AFTER_TET_DUE):
        refused = client.post(url, {f"e{row.pk}-status": "received", f"e{row.pk}-version": row.version})
        assert refused.status_code == 400
        assert "Vui lòng đính kèm tệp hồ sơ đã nhận." in refused.content.decode()
        response = client.post(
            url,
            {
                f"e{row.pk}-status": "received",
                f"e{row.pk}-version": row.version,
                f"e{row.pk}-file": pdf("ttr.pdf"),
            },
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "received" and row.received_on == AFTER_TET_DUE
    page = client.get(reverse("deliberation:dossier_detail", args=[item.pk])).content.decode()
    assert "ttr.pdf" in page and "trước 3 ngày làm việc: hạn 13/02/2026" in page
    download = client.get(reverse("deliberation:dossier_entry_file", args=[row.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    # A second tab, still on the old version: the dossier's page says why, nothing changes.
    stale = client.post(url, {f"e{row.pk}-status": "pending", f"e{row.pk}-version": 1})
    assert DossierEntry.objects.get(pk=row.pk).status == "received"
    assert stale.status_code == 400 and str(STALE_EDIT_MESSAGE) in stale.content.decode()


def test_the_chair_withdraws_through_a_confirmation_and_the_program_item_moves(
    client: Client, org: Org, people: People, committee: Committee, meeting: Meeting
) -> None:
    program = make_program(org, people, year=2026)
    program_item = add_item(program, people.admin, org.science, month(2, 2026), leader=people.leader)
    item = add_agenda_item(
        meeting, org.science, title="Đề án có trong chương trình", program_item=program_item
    )
    receive(item, people.office_officer, LISTED_DAY)
    client.force_login(committee.chairman)
    url = reverse("deliberation:withdrawal_decide", args=[item.pk])
    data = {
        "version": item.version,
        "decision": "withdraw",
        "note": "Hồ sơ chậm, trình tháng 4",
        "program_action": "postpone",
        "postpone_to": "04/2026",
    }
    with on_day(LISTED_DAY):
        assert client.get(url).status_code == 200
        confirm = client.post(url, data)
        assert confirm.status_code == 200
        page = confirm.content.decode()
        assert (
            "lùi thời gian trình từ tháng 02/2026 sang tháng 04/2026" in page or "sang tháng 4/2026" in page
        )
        assert AgendaItem.objects.get(pk=item.pk).status == AgendaStatus.ON_AGENDA  # nothing yet
        done = client.post(url, {**data, "confirmed": "on"})
    assert done.status_code == 302
    item.refresh_from_db()
    program_item.refresh_from_db()
    assert item.status == AgendaStatus.WITHDRAWN and item.adjustment_request is not None
    assert program_item.due_month == datetime.date(2026, 4, 1) and program_item.status == ItemStatus.PLANNED
    # A late second click: a message on the dossier's page, not an error.
    with on_day(LISTED_DAY):
        again = client.post(url, {**data, "confirmed": "on"}, follow=True)
    assert again.status_code == 200 and "Không thể quyết định về nội dung này nữa." in again.content.decode()


def test_the_office_records_a_keep_decision_through_the_page(
    client: Client, people: People, late: AgendaItem
) -> None:
    client.force_login(people.office_officer)
    url = reverse("deliberation:withdrawal_decide", args=[late.pk])
    with on_day(LISTED_DAY):
        missing = client.post(url, {"version": late.version, "decision": "keep", "note": ""})
        assert missing.status_code == 400
        response = client.post(
            url, {"version": late.version, "decision": "keep", "note": "Nội dung cấp bách"}
        )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.withdrawal_decision == "keep" and late.status == AgendaStatus.ON_AGENDA


def test_an_item_not_yet_listed_sends_the_decision_page_back_with_a_message(
    client: Client, org: Org, people: People, meeting: Meeting
) -> None:
    item = add_agenda_item(meeting, org.science)
    client.force_login(people.office_officer)
    with on_day(AFTER_TET_DUE):
        response = client.get(reverse("deliberation:withdrawal_decide", args=[item.pk]), follow=True)
    assert "không có trong danh sách đề nghị rút" in response.content.decode()


def test_the_lists_show_the_reasons_in_words(
    client: Client, people: People, meeting: Meeting, late: AgendaItem
) -> None:
    client.force_login(people.office_officer)
    with on_day(LISTED_DAY):
        for url in (
            reverse("deliberation:withdrawal_list"),
            reverse("deliberation:withdrawal_list_print"),
            reverse("deliberation:meeting_withdrawal_list", args=[meeting.pk]),
            reverse("deliberation:meeting_withdrawal_list_print", args=[meeting.pk]),
        ):
            page = client.get(url).content.decode()
            assert "Đề án số hóa hồ sơ" in page, url
            assert "Hồ sơ đến Văn phòng ngày 23/02/2026, sau hạn 13/02/2026" in page, url
    with on_day(AFTER_TET_DUE):
        assert (
            "Đề án số hóa hồ sơ" not in client.get(reverse("deliberation:withdrawal_list")).content.decode()
        )


def test_the_office_sees_the_to_do_and_nobody_else_does(
    people: People, committee: Committee, late: AgendaItem, django_assert_max_num_queries: Any
) -> None:
    with on_day(LISTED_DAY):
        entry_ = withdrawals_to_put(people.office_officer, 5)
        assert entry_ is not None and entry_.count == 1 and entry_.items[0].label == "Đề án số hóa hồ sơ"
        for user in (people.unit_head, committee.chairman, people.admin, people.outsider):
            with django_assert_max_num_queries(1):  # their memberships, nothing of the list
                assert withdrawals_to_put(user, 5) is None
    with on_day(AFTER_TET_DUE):
        none_yet = withdrawals_to_put(people.office_officer, 5)
        assert none_yet is not None and none_yet.count == 0


def test_the_panels_render_for_those_who_see_them(
    people: People, committee: Committee, meeting: Meeting, late: AgendaItem
) -> None:
    with on_day(LISTED_DAY):
        panel = meeting_panel(meeting, people.office_officer)
        html = render_to_string("deliberation/dossiers/_meeting_panel.html", panel)
        assert panel["proposed_count"] == 1 and "1 nội dung đề nghị rút khỏi phiên họp" in html
        item_panel = agenda_item_panel(late, people.unit_staff)
        html = render_to_string("deliberation/dossiers/_agenda_item_panel.html", item_panel)
        assert "Hồ sơ đến Văn phòng ngày 23/02/2026, sau hạn 13/02/2026" in html
        assert agenda_item_panel(late, committee.member) == {"sees_dossier": False}
        assert meeting_panel(meeting, people.outsider)["dossier_rows"] == []


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_pages_and_panels_do_not_grow_with_the_rows(
    client: Client, org: Org, people: People, meeting: Meeting, late: AgendaItem
) -> None:
    client.force_login(people.office_officer)
    urls = [
        reverse("deliberation:dossier_detail", args=[late.pk]),
        reverse("deliberation:withdrawal_decide", args=[late.pk]),
        reverse("deliberation:withdrawal_list"),
        reverse("deliberation:withdrawal_list_print"),
        reverse("deliberation:meeting_withdrawal_list", args=[meeting.pk]),
        reverse("deliberation:meeting_withdrawal_list_print", args=[meeting.pk]),
    ]

    def counts() -> list[int]:
        with on_day(LISTED_DAY):
            pages = [queries_of(client, url) for url in urls]
            with CaptureQueriesContext(connection) as panels:
                meeting_panel(meeting, people.office_officer)
                agenda_item_panel(late, people.office_officer)
        return [*pages, len(panels)]

    counts()  # the first request warms the session and the calendar
    few = counts()
    for number in range(6):
        other = add_agenda_item(meeting, org.home_affairs, title=f"Nội dung {number}", is_legal_document=True)
        receive(other, people.office_officer, LISTED_DAY, parts=("submission",))
        DossierEntry.objects.create(
            agenda_item=late, part="other", label=f"Phụ lục {number}", is_required=True
        )
    many = counts()
    assert many == few
    assert max(few) <= 16, few


def test_the_permission_matrix_of_every_write(
    client: Client, people: People, committee: Committee, meeting: Meeting, late: AgendaItem
) -> None:
    """Only the Office writes a checklist: those who see the dossier are sent back to it with
    a message, everybody else gets 404, and nothing changes for any of them."""
    row = entry(late, DossierPart.OTHER)
    posts = {
        "mark": (
            reverse("deliberation:dossier_entry_mark", args=[row.pk]),
            {f"e{row.pk}-status": "missing", f"e{row.pk}-note": "Thiếu", f"e{row.pk}-version": row.version},
        ),
        "add": (reverse("deliberation:dossier_entry_add", args=[late.pk]), {"label": "Phụ lục"}),
        "lay_out": (reverse("deliberation:dossier_checklist_create", args=[late.pk]), {}),
    }
    before = list(DossierEntry.objects.order_by("pk").values_list("pk", "status", "version"))
    for name, user in personas(people, committee).items():
        if name in ("admin", "office_officer"):
            continue
        client.force_login(user)
        sees = name in ("chairman", "vice", "unit_head", "unit_staff")
        for action, (url, data) in posts.items():
            response = client.post(url, data)
            assert response.status_code == (302 if sees else 404), (name, action)
            if sees:
                assert response["Location"] == reverse("deliberation:dossier_detail", args=[late.pk])
    assert list(DossierEntry.objects.order_by("pk").values_list("pk", "status", "version")) == before
    client.logout()
    for url, data in posts.values():
        assert client.post(url, data).status_code == 302  # to the login page
    assert list(DossierEntry.objects.order_by("pk").values_list("pk", "status", "version")) == before

"""The meeting pages go through the services: the Office schedules (one-time token), adds the
proposed program items in one POST, adds a matter, moves the date, invites units and
records whom they sent; refusals land on the page with their message. Every page's query
count stays the same however many rows it shows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core.once import FIELD, new_token
from caicach.deliberation.meetings.services import agenda_add_matter, invitee_record, invitees_set
from caicach.deliberation.models import AgendaItem, Invitee, Meeting, MeetingStatus
from tests.conftest import Org, People, forget_kept, on_day
from tests.core.factories import make_unit
from tests.deliberation.factories import make_committee
from tests.deliberation.meetings.factories import MEETING_DAY, TODAY, program_item, schedule, with_agenda

pytestmark = pytest.mark.django_db


def test_the_office_schedules_and_builds_the_agenda(client: Client, org: Org, people: People) -> None:
    committee = make_committee(org, people)
    first, second = program_item(org, title="Đề án chuyển đổi số"), program_item(org, title="Đề án cải cách")
    client.force_login(people.office_officer)
    with on_day(TODAY):
        token = new_token()
        data = {
            "committee": org.province.pk,
            "kind": "regular",
            "date": "21/10/2026",
            "starts_at": "08:00",
            "chair": committee.chairman.pk,
            FIELD: token,
        }
        response = client.post(reverse("deliberation:meeting_create"), data)
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert client.post(reverse("deliberation:meeting_create"), data).status_code == 302
        assert Meeting.objects.count() == 1  # the token is spent: no second meeting
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "Phiên họp UBND thường kỳ tháng 10/2026" in page and "Thứ Tư" in page
        assert "Đề án chuyển đổi số" in page and "trước 3 ngày làm việc: hạn 16/10/2026" in page
        response = client.post(
            reverse("deliberation:agenda_add", args=[meeting.pk]),
            {"program_items": [first.pk, second.pk], FIELD: new_token()},
        )
        assert response.status_code == 302
        assert list(AgendaItem.objects.values_list("program_item", flat=True)) == [first.pk, second.pk]
        response = client.post(
            reverse("deliberation:agenda_add_matter", args=[meeting.pk]), {"title": "Khác"}
        )
        assert response.status_code == 400 and 'id="id_lead_unit_error"' in response.content.decode()
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert page.count("trước 3 ngày làm việc: hạn 16/10/2026") == 3  # two rows and the note
        second_item = AgendaItem.objects.get(program_item=second)
        response = client.post(
            reverse("deliberation:agenda_item_move", args=[second_item.pk]),
            {f"m{second_item.pk}-direction": "up", f"m{second_item.pk}-version": second_item.version},
        )
        assert response.status_code == 302
        assert list(AgendaItem.objects.order_by("position").values_list("program_item", flat=True)) == [
            second.pk,
            first.pk,
        ]
        # Moving the date: every item's dossier deadline follows.
        meeting.refresh_from_db()
        response = client.post(
            reverse("deliberation:meeting_update", args=[meeting.pk]),
            {"kind": "regular", "date": "27/10/2026", "title": meeting.title, "version": meeting.version},
        )
        assert response.status_code == 302
        assert set(AgendaItem.objects.values_list("dossier_due", flat=True)) == {datetime.date(2026, 10, 22)}
        page = client.get(second_item.get_absolute_url()).content.decode()
        assert "trước 3 ngày làm việc: hạn 22/10/2026" in page


def test_refusals_land_on_the_page_with_their_message(client: Client, org: Org, people: People) -> None:
    meeting = schedule(people, org)
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.post(
            reverse("deliberation:meeting_hold", args=[meeting.pk]), {"version": meeting.version}, follow=True
        )
        assert "Chưa đến ngày họp (21/10/2026)" in response.content.decode()
        response = client.post(
            reverse("deliberation:meeting_cancel", args=[meeting.pk]),
            {"version": meeting.version, "reason": ""},
            follow=True,
        )
        assert "Vui lòng nêu lý do hủy phiên họp." in response.content.decode()
        client.post(
            reverse("deliberation:meeting_cancel", args=[meeting.pk]),
            {"version": meeting.version, "reason": "Lãnh đạo đi công tác"},
        )
        assert Meeting.objects.get().status == MeetingStatus.CANCELLED
        response = client.get(reverse("deliberation:meeting_update", args=[meeting.pk]), follow=True)
        assert response.status_code == 200 and "Phiên họp đã họp hoặc đã hủy" in response.content.decode()


def test_invitees_and_the_wrong_level_count(client: Client, org: Org, people: People) -> None:
    meeting = schedule(people, org)
    with_agenda(people, meeting, [program_item(org)])
    client.force_login(people.office_officer)
    url = reverse("deliberation:meeting_invitees", args=[meeting.pk])
    with on_day(TODAY):
        page = client.get(url).content.decode()
        checked = re.findall(r'<input type="checkbox" name="units" value="(\d+)"[^>]* checked', page)
        assert checked == [str(org.science.pk)]  # the lead unit of the agenda, pre-checked
        assert client.post(url, {"units": [org.science.pk, org.home_affairs.pk]}).status_code == 302
        invitee = Invitee.objects.get(unit=org.science)
        prefix = f"i{invitee.pk}"
        response = client.post(
            reverse("deliberation:invitee_record", args=[invitee.pk]),
            {
                f"{prefix}-version": invitee.version,
                f"{prefix}-attended": "yes",
                f"{prefix}-attendee_name": "Lê Văn B",
                f"{prefix}-attendee_level": "other",
                f"{prefix}-wrong_level": "auto",
            },
        )
        assert response.status_code == 302
        assert Invitee.objects.get(pk=invitee.pk).is_wrong_level
        page = client.get(reverse("deliberation:attendance_stats"), {"year": 2026}).content.decode()
    assert "Sở Khoa học và Công nghệ" in page and '<td class="num">1</td>' in page


def _queries(client: Client, url: str, **params: Any) -> int:
    """The page's queries on the visit after a write (nothing kept: ``forget_kept``)."""
    forget_kept()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200, url
    return len(captured)


def test_the_pages_query_counts_do_not_grow_with_their_rows(client: Client, org: Org, people: People) -> None:
    make_committee(org, people)
    meeting = schedule(people, org)

    def grow(n: int) -> None:
        units = [make_unit(f"S{n}{k}", name=f"Sở thứ {n}-{k}", parent=org.province) for k in range(3)]
        for unit in units:
            with on_day(TODAY):
                agenda_add_matter(
                    actor=people.office_officer, meeting=meeting, title=f"Việc {unit.code}", lead_unit=unit
                )
        with_agenda(people, meeting, [program_item(org)])
        with on_day(TODAY):
            invitees_set(
                actor=people.office_officer,
                meeting=meeting,
                units=[
                    *units,
                    *(i.unit for i in Invitee.objects.filter(meeting=meeting).select_related("unit")),
                ],
            )
            for invitee in Invitee.objects.filter(meeting=meeting, attended__isnull=True).select_related(
                "meeting"
            ):
                invitee_record(
                    actor=people.office_officer,
                    invitee=invitee,
                    data={"attended": True, "attendee_name": "A", "attendee_level": "other"},
                    version=invitee.version,
                )
            schedule(people, org, day=MEETING_DAY + datetime.timedelta(days=n % 2))

    grow(1)
    item = AgendaItem.objects.first()
    assert item is not None
    pages = [
        (reverse("deliberation:meeting_list"), {}),
        (meeting.get_absolute_url(), {}),
        (item.get_absolute_url(), {}),
        (reverse("deliberation:meeting_invitees", args=[meeting.pk]), {}),
        (reverse("deliberation:attendance_stats"), {"year": 2026}),
    ]
    client.force_login(people.office_officer)
    with on_day(TODAY):
        for url, params in pages:  # warm the per-process caches (content types, calendar)
            _queries(client, url, **params)
        before = [_queries(client, url, **params) for url, params in pages]
    grow(2)
    grow(3)
    with on_day(TODAY):
        after = [_queries(client, url, **params) for url, params in pages]
    assert after == before
    assert max(before) <= 30, before


def test_the_office_home_lists_the_meetings_to_prepare(client: Client, org: Org, people: People) -> None:
    meeting = schedule(people, org, day=datetime.date(2026, 10, 13))
    client.force_login(people.office_officer)
    with on_day(TODAY):
        page = client.get(reverse("home")).content.decode()
    assert "Phiên họp cần chuẩn bị" in page and meeting.get_absolute_url() in page
    client.force_login(people.unit_head)
    with on_day(TODAY):
        assert "Phiên họp cần chuẩn bị" not in client.get(reverse("home")).content.decode()
